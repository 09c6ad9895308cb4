/**
 * The web app refuses, before saving, the typed text the rules and the callables refuse
 * (web/src/domain/typed-text.ts, a copy of functions/src/domain/typed-text.ts's forbiddenCharacter).
 */
import { expect } from "chai";
import { forbiddenCharacter, type TypedTextKind } from "../../src/domain/typed-text";
import { forbiddenCharacter as webForbiddenCharacter, typedTextProblem } from "../../../web/src/domain/typed-text";
import { meterIdProblem } from "../../../web/src/domain/meter-id";

describe("the web app's typed-text check", () => {
  it("names the same character as the server's, for every character of the Basic Multilingual Plane and some beyond", () => {
    const astral = [0x1f6e2, 0x1f469, 0xe0001, 0xf0000, 0x10fffd];
    const codePoints = [...Array.from({ length: 0x10000 }, (_, c) => c).filter((c) => c < 0xd800 || c > 0xdfff), ...astral];
    const refused: Record<TypedTextKind, number> = { lines: 0, line: 0, id: 0 };
    for (const kind of ["lines", "line", "id"] as const) {
      for (const c of codePoints) {
        const text = `a${String.fromCodePoint(c)}b`;
        const named = forbiddenCharacter(text, kind);
        if (webForbiddenCharacter(text, kind) !== named)
          expect.fail(`U+${c.toString(16)} (${kind}): web ${webForbiddenCharacter(text, kind)}, server ${named}`);
        if (named !== undefined) refused[kind] += 1;
      }
    }
    // 65 controls less tab, LF and CR, two separators, nine bidirectional controls; one line adds those three; an id eight invisibles.
    expect(refused).to.deep.equal({ lines: 73, line: 76, id: 84 });
  });

  it("says the field, the character and its kind, as the server's message does", () => {
    expect(typedTextProblem("Note", "gross \u202e0051 bbl", "lines")).to.equal("Note must not hold U+202E (a bidirectional control)");
    expect(typedTextProblem("Note", "ok\nfine", "lines")).to.equal(undefined);
    expect(meterIdProblem("LACT\u200b01")).to.equal("Meter id must not hold U+200B (an invisible character)");
  });
});
