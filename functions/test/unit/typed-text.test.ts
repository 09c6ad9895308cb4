import { expect } from "chai";
import { z } from "zod";
import { forbiddenCharacter, typedNote, typedText } from "../../src/domain/typed-text";

describe("forbiddenCharacter: what typed text may not hold", () => {
  it("names the first control character (C0, DEL, C1) of a note", () => {
    expect(forbiddenCharacter("12\u0000 bbl", "lines")).to.equal("U+0000 (a control character)");
    expect(forbiddenCharacter("a\u0007b", "lines")).to.equal("U+0007 (a control character)");
    expect(forbiddenCharacter("a\u000bb", "lines")).to.equal("U+000B (a control character)");
    expect(forbiddenCharacter("a\u001fb", "lines")).to.equal("U+001F (a control character)");
    expect(forbiddenCharacter("a\u007fb", "lines")).to.equal("U+007F (a control character)");
    expect(forbiddenCharacter("a\u0080b", "lines")).to.equal("U+0080 (a control character)");
    expect(forbiddenCharacter("a\u0085b", "lines")).to.equal("U+0085 (a control character)");
    expect(forbiddenCharacter("a\u009fb", "lines")).to.equal("U+009F (a control character)");
    // The first one, whatever follows.
    expect(forbiddenCharacter("a\u202eb\u0000", "lines")).to.equal("U+202E (a bidirectional control)");
  });

  it("names the bidirectional embeddings, overrides and isolates", () => {
    for (const c of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      const hex = c.toString(16).toUpperCase();
      expect(forbiddenCharacter(`vol 1${String.fromCodePoint(c)}20`, "lines")).to.equal(`U+${hex} (a bidirectional control)`);
    }
  });

  it("names U+2028 and U+2029, in notes too", () => {
    expect(forbiddenCharacter("a\u2028b", "lines")).to.equal("U+2028 (a line separator)");
    expect(forbiddenCharacter("a\u2029b", "lines")).to.equal("U+2029 (a paragraph separator)");
  });

  it("keeps tabs and line breaks in a note, refuses them in one line", () => {
    const note = "Meter proved.\r\nFactor\t1.0002\nsee ticket";
    expect(forbiddenCharacter(note, "lines")).to.equal(undefined);
    expect(forbiddenCharacter("Main\nkey", "line")).to.equal("U+000A (a line break)");
    expect(forbiddenCharacter("Main\rkey", "line")).to.equal("U+000D (a line break)");
    expect(forbiddenCharacter("Main\tkey", "line")).to.equal("U+0009 (a tab)");
    expect(forbiddenCharacter("LACT\n01", "id")).to.equal("U+000A (a line break)");
  });

  it("refuses invisible characters in an id only", () => {
    for (const [c, hex] of [
      ["\u00ad", "00AD"],
      ["\u061c", "061C"],
      ["\u180e", "180E"],
      ["\u200b", "200B"],
      ["\u200e", "200E"],
      ["\u200f", "200F"],
      ["\u2060", "2060"],
      ["\ufeff", "FEFF"],
    ]) {
      expect(forbiddenCharacter(`LA${c}CT`, "id")).to.equal(`U+${hex} (an invisible character)`);
      expect(forbiddenCharacter(`LA${c}CT`, "line")).to.equal(undefined);
    }
  });

  it("accepts what people write: accents, other scripts, right-to-left text, emoji, joiners", () => {
    for (const text of [
      "Prüfung bestanden, Zähler geeicht: 3 050,5 bbl",
      "東京の計量器 1号",
      "\u0645\u06cc\u200c\u062e \u05e9\u05dc\u05d5\u05dd",
      "👩‍🔧 ok 🛢️",
      "Right\u200fto\u200eleft marks in a note",
      "",
    ]) {
      for (const kind of ["lines", "line"] as const)
        expect(forbiddenCharacter(text, kind), `${kind} ${JSON.stringify(text)}`).to.equal(undefined);
    }
    expect(forbiddenCharacter("LACT 01A", "id")).to.equal(undefined);
    expect(forbiddenCharacter("\u0645\u06cc\u200c\u062e", "id")).to.equal(undefined);
  });

  it("leaves lone surrogates to the well-formedness check (they are not named here)", () => {
    expect(forbiddenCharacter("a\ud800b", "lines")).to.equal(undefined);
  });
});

describe("typedText and typedNote: the schemas' refinement", () => {
  it("is a custom issue naming the character", () => {
    const result = typedNote(2000).min(1, "say why").safeParse("approved \u202e0001");
    expect(result.success).to.equal(false);
    expect(result.error?.issues.map((i) => [i.code, i.message])).to.deep.equal([
      ["custom", "must not hold U+202E (a bidirectional control)"],
    ]);
    expect(typedNote(2000).parse("  line one\nline two  ")).to.equal("line one\nline two");
    const name = z.string().superRefine(typedText("line"));
    expect(name.safeParse("Main\u0000").error?.issues[0].message).to.equal("must not hold U+0000 (a control character)");
  });
});
