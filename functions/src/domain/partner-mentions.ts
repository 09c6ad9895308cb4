// Which partners a written figure is told of: the figures check holds a partner's figure to that partner.

import { escapeRegExp } from "./regexp-text";

/** How a text may name a partner: its id and its name, as the data gives them (already as read). */
export interface PartnerLabels {
  id: string;
  labels: readonly string[];
}

interface Mention {
  start: number;
  end: number;
  partner: string;
}

const NO_ONE: ReadonlySet<string> = new Set();
/** Told of a partner the text leaves open: no partner id is empty, so only a figure of no partner's is told of it. */
const NOT_ONE_PARTNER: ReadonlySet<string> = new Set([""]);
/** Where a sentence ends: a full stop, "!" or "?" before a space (a decimal point has a digit after it), or a line break. */
const SENTENCE_END = /[.!?](?=\s|$)|\n/gu;
/** A full stop that ends an abbreviation, not the sentence ("Gamma Gas Ltd. was allocated"). */
const ABBREVIATION = /(?<!\p{L})(?:ltd|plc|p\.l\.c|inc|co|corp|llc|e\.g|i\.e|vs|approx|no)\.$/iu;
/**
 * Where a clause begins: a semicolon, a bar (a table's cells written on one line), a comma that is
 * no thousands separator, a spaced dash, or a word that sets one figure against another.
 */
const CLAUSE_BREAK = /;|\||,(?!\d)|\s[—–]\s|(?<=\s)(?:while|whereas|but|against|versus|vs\.?|compared\s+(?:with|to))(?=\s)/giu;
/** A clause with a subject of its own: it borrows no partner from the clauses before it. */
const OWN_SUBJECT = /^(?:;|,\s*(?:and|but|while|whereas|or)(?!\p{L})|while|whereas|but)/iu;
/** A partner told of without its name ("the other partner's rose", "the majority partner"): whose figure it is, the check cannot say. */
const UNNAMED_PARTNER = /(?<!\p{L})(?:the|its|their|another|each|every|both|either|neither)\s+(?:[\p{L}-]+\s+){0,2}partners?(?!\p{L})/giu;
/** A company form a text may leave off the name ("Beta Oil" for "Beta Oil Plc", "Gamma Gas" for "Gamma Gas Pty Ltd"). */
const COMPANY_FORM = /(?:[\s,]+(?:pty|ltd\.?|limited|plc|p\.l\.c\.|inc\.?|llc|corp\.?|co\.?|s\.a\.|ag|gmbh|b\.v\.|n\.v\.))+$/iu;
/** "and" between words: where it follows a partner told of with a figure, what comes after it is told of another. */
const AND = /(?<=\s)and(?=\s)/giu;
/** A number's first digit where it stands alone: not inside an id ("E-0422", "RCPT-2026-11-A_v2"). */
const FIGURE = /(?<![\p{L}\p{N}_-])\d/gu;
/** A clause set between commas that compares with another partner: its partner is not the subject's. */
const ASIDE =
  /^,\s*(?:like|unlike|as\s+with|as\s+did|as\s+does|similar\s+to|along\s+with|together\s+with|just\s+as|much\s+like)(?!\p{L})/iu;
/**
 * A sentence that opens on "It", "Its" or "This partner" (after a quote, a parenthesis or a word
 * like "In total,"): told of the partner the sentence before is about (sentenceSubject).
 */
const PRONOUN_OPENING =
  /^\s*["\u201c\u2018'(]?\s*(?:(?:in\s+total|in\s+all|overall|altogether|now|again|also|meanwhile|in\s+turn|this\s+(?:month|period))\s*,?\s+)?(?:it(?:s|['\u2019]s)?|(?:this|that)\s+partner(?:['\u2019]s)?)(?!\p{L})/iu;
/** A clause after a semicolon that opens on "it" or "its": told of the partner the sentence before it is about. */
const PRONOUN_CLAUSE = /^;\s*it(?:s|['\u2019]s)?(?!\p{L})/iu;
/**
 * A sentence's opening phrase that sets a partner aside from the subject, up to its comma
 * ("Compared with Beta Oil, Alpha Energy …"; figures inside it keep their points and commas, and
 * it may hold a clause of its own: "Unlike Beta Oil, which lost 35.28 bbl, Alpha Energy …"),
 * after a bullet or a word like "However,".
 */
const OPENING_PHRASE =
  /^\s*(?:[-*\u2022]\s+|\*\*)?(?:(?:however|meanwhile|overall|again|also|still|note|this\s+(?:month|period)|by\s+contrast|in\s+contrast)\s*[,:]\s*)?(?:(?:just|well|far|slightly|narrowly|closely|much)\s+)?(?:compared\s+(?:with|to)|(?:by|in)\s+contrast\s+(?:with|to)|relative\s+to|next\s+to|apart\s+from|alongside|beside|unlike|like|as\s+with|against|versus|behind|ahead\s+of|trailing|(?:overtaken|outpaced)\s+by|losing\s+ground\s+to|following|between|among|what|after|before|besides|despite|while|whereas|although|though|as|since|because|when|with|for|in|from|of)(?!\p{L})(?:[^,.;!?\n]|\.(?=\d)|,(?=\d{3}))*(?:,\s*(?:which|whose|who|where)(?!\p{L})(?:[^,.;!?\n]|\.(?=\d)|,(?=\d{3}))*)?,/iu;
/** After a name, a possessive description closed by a comma ("… Alpha Energy's co-venturer, …"): an apposition. */
const APPOSITION_AFTER_NAME = /^['\u2019]s\s+[\p{L}-]+(?:\s+[\p{L}-]+)?\s*,/u;
/** Joins two names into one subject besides NAME_LIST_GAP's: "or", "as well as", "along with". */
const SUBJECT_JOIN = /^(?:['\u2019]s)?\s*,?\s*(?:or|as\s+well\s+as|along\s+with|together\s+with|plus)\s+$/iu;
/** Where a list of figures is told of the partners the sentence names, in their order ("… and …, respectively"). */
const RESPECTIVELY = /(?<!\p{L})respectively(?!\p{L})/iu;
/** A figure from its first digit: thousands grouped by commas, a decimal part. */
const FIGURE_TEXT = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/y;
/** The unit a figure is written with, if any: a list of figures holds one kind. */
const UNIT = /^\s*(bbl|barrels?|%|per\s*cent|percent|entries|entry)(?!\p{L})/iu;
/** Between two figures of one list: the first's unit, then a comma, "and" or both, "&", "/" or a semicolon, and the second's sign. */
const FIGURE_LIST_GAP =
  /^\s*(?:bbl|barrels?|%|per\s*cent|percent|entries|entry)?\s*(?:,\s*(?:and\s+)?|,?\s+and\s+|\s*[&/;]\s*)[+\-\u2212]?$/iu;
/** Between two names of one list: a possessive, then a comma, "and" or both, "&" or "/"; an aside between commas before "and". */
const NAME_LIST_GAP = /^(?:['\u2019]s)?(?:\s*,\s*(?:and\s+)?|,?\s+and\s+|\s*[&/]\s*|\s*,[^,;()]*,\s*and\s+)$/iu;

/**
 * For a text (as read), the partners a figure at a position is told of:
 * - in parentheses right after a partner's name ("Beta Oil (4,076.96 bbl, 40.32%)"): that partner;
 * - in a list of figures paired with a list of names, or with the partners a sentence with
 *   "respectively" names (pairedFigures): the partner in its place;
 * - otherwise those its clause names; "and" begins a clause where a partner named and then a figure
 *   stand before it and a partner is named after it ("Alpha Energy received 6,035.78 bbl | and Beta
 *   Oil 4,076.96 bbl"), or a figure and then a partner stand on both sides ("an increase of 35.28 bbl
 *   for Alpha Energy | and a decrease of 35.28 bbl for Beta Oil"); not in a list of names ("the
 *   shares of Alpha Energy and Beta Oil are …") nor a list of figures;
 *   a clause naming none borrows those of the clause before it
 *   across a comma, a dash, "against", "versus" or "compared with" ("Beta Oil's allocation fell by
 *   35.28 bbl, to 4,076.96 bbl"), never across a semicolon or a clause with a subject of its own
 *   (", and …", "while …"), and a clause of names alone passes them on;
 * - in a sentence naming no partner that opens on "It" or "Its": the partner the sentence before
 *   is about ("Alpha Energy's share rose. Its share is now …"; sentenceSubject);
 * - a clause telling of a partner without its name ("the other partner's rose to …") is not
 *   judged by whom, unless it is only that, an apposition ("Beta Oil, the larger partner, received …").
 * None: not judged by whom. Commas inside parentheses end no clause.
 */
export function partnersNamed(read: string, partners: readonly PartnerLabels[]): (at: number) => ReadonlySet<string> {
  const mentions = mentionsIn(read, partners);
  if (mentions.length === 0) return () => NO_ONE;
  const sentenceEnds = [...read.matchAll(SENTENCE_END)]
    .filter(
      (m) =>
        m[0] !== "." ||
        !(mentions.some((n) => n.end === m.index + 1) || ABBREVIATION.test(read.slice(Math.max(0, m.index - 8), m.index + 1))),
    )
    .map((m) => m.index + m[0].length);
  const unnamed = [...read.matchAll(UNNAMED_PARTNER)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const opened = openParentheses(read);
  const within = <T extends { start: number }>(spans: readonly T[], from: number, to: number) =>
    spans.filter((s) => s.start >= from && s.start < to);
  const stripped = (from: number, to: number, spans: ReadonlyArray<{ start: number; end: number }>) => {
    let rest = read.slice(from, to);
    for (const s of [...spans].sort((a, b) => b.start - a.start))
      rest = rest.slice(0, s.start - from) + rest.slice(Math.min(s.end, to) - from);
    return rest;
  };
  const breaks = [...read.matchAll(CLAUSE_BREAK)].map((m) => m.index).filter((i) => opened[i] === undefined);
  // A figure in parentheses goes with the name before it ("Alpha Energy (18 entries) and Beta Oil …" is a list of names).
  const figures = [...read.matchAll(FIGURE)]
    .map((m) => m.index)
    .filter((i) => opened[i] === undefined && !mentions.some((m) => m.start <= i && i < m.end));
  const clauseStarts = [...read.matchAll(AND)]
    .map((m) => m.index)
    .filter((i) => {
      if (opened[i] !== undefined || mentions.some((m) => m.start < i && i < m.end)) return false;
      const from = Math.max(0, ...sentenceEnds.filter((e) => e <= i), ...breaks.filter((b) => b < i));
      const to = Math.min(read.length, ...sentenceEnds.filter((e) => e > i), ...breaks.filter((b) => b > i));
      const [namedBefore, namedAfter] = [within(mentions, from, i), within(mentions, i, to)];
      const [figuresBefore, figuresAfter] = [figures.filter((f) => f >= from && f < i), figures.filter((f) => f >= i && f < to)];
      const nameThenFigure = namedBefore.some((m) => figuresBefore.some((f) => f > m.start)) && namedAfter.length > 0;
      const figureThenName = (names: readonly Mention[], figs: readonly number[]) => figs.some((f) => names.some((m) => m.start > f));
      return nameThenFigure || (figureThenName(namedBefore, figuresBefore) && figureThenName(namedAfter, figuresAfter));
    });
  clauseStarts.push(...breaks);
  clauseStarts.sort((a, b) => a - b);
  const paired = pairedFigures(read, mentions, sentenceEnds, opened);
  const opensOnIt = (from: number, to: number) =>
    within(mentions, from, to).length === 0 && within(unnamed, from, to).length === 0 && PRONOUN_OPENING.test(read.slice(from, to));
  /**
   * The sentence an "It" sentence looks back to, naming a partner: the one before it, past blank
   * ones (a line break after a full stop) and past "It" sentences naming none ("Alpha Energy
   * rose. It gained 35.28 bbl. Its share is …").
   */
  const sentenceBefore = (start: number): [number, number] | undefined => {
    const starts = [0, ...sentenceEnds.filter((e) => e < start)];
    let to = start;
    for (let i = starts.length - 1; i >= 0; i -= 1) {
      const from = starts[i];
      if (from >= to) continue;
      if (read.slice(from, to).trim() !== "") {
        if (within(mentions, from, to).length > 0) return [from, to];
        if (!opensOnIt(from, to)) return undefined;
      }
      to = from;
    }
    return undefined;
  };
  return (at) => {
    // The figure's first digit: a sign may stand before it.
    const partner = paired.get(at) ?? paired.get(at + 1);
    if (partner !== undefined) return new Set([partner]);
    const paren = opened[at];
    if (paren !== undefined) {
      const before = mentions.find((m) => m.end <= paren && /^(?:['’]s)?\s*$/u.test(read.slice(m.end, paren)));
      if (before) return new Set([before.partner]);
    }
    const start = Math.max(0, ...sentenceEnds.filter((e) => e <= at));
    const end = Math.min(read.length, ...sentenceEnds.filter((e) => e > at));
    // "Alpha Energy's allocation rose. It now stands at …": a sentence naming no partner, nor one
    // without its name, that opens on "It" speaks of the partner the sentence before is about.
    if (opensOnIt(start, end)) {
      const before = sentenceBefore(start);
      if (before) return sentenceSubject(read, before[0], within(mentions, before[0], before[1]));
    }
    const cuts = [start, ...clauseStarts.filter((c) => c > start && c < end), end];
    const own = (i: number) => within(mentions, cuts[i], cuts[i + 1]);
    const namesOnly = (i: number) => own(i).length > 0 && /^(?:[\s,;&—–-]|and|or)*$/iu.test(stripped(cuts[i], cuts[i + 1], own(i)));
    const named = (i: number): string[] => [...own(i).map((m) => m.partner), ...(i > 0 && namesOnly(i - 1) ? named(i - 1) : [])];
    const here = cuts.findIndex((c, i) => i < cuts.length - 1 && c <= at && at < cuts[i + 1]);
    // "Alpha Energy outpaced Beta Oil; it took …": as a sentence opening on "It", told of what the sentence names before it.
    const pronounClause = cuts
      .slice(0, here + 1)
      .reverse()
      .find((c) => PRONOUN_CLAUSE.test(read.slice(c)));
    if (
      pronounClause !== undefined &&
      within(mentions, pronounClause, end).length === 0 &&
      within(mentions, start, pronounClause).length > 0
    ) {
      return sentenceSubject(read, start, within(mentions, start, pronounClause));
    }
    for (let clause = here; clause >= 0; clause -= 1) {
      const anonymous = within(unnamed, cuts[clause], cuts[clause + 1]);
      const apposition =
        clause !== here && anonymous.length > 0 && /^[\s,;—–-]*$/u.test(stripped(cuts[clause], cuts[clause + 1], anonymous));
      if (apposition) continue;
      // "Beta Oil, like Alpha Energy, rose by …": the aside's partner is not the one the figure is told of.
      if (clause !== here && ASIDE.test(read.slice(cuts[clause], cuts[clause + 1]))) continue;
      if (anonymous.length > 0) return NO_ONE;
      const found = named(clause);
      if (found.length > 0) return new Set(found);
      if (OWN_SUBJECT.test(read.slice(cuts[clause], cuts[clause + 1]).trimStart())) break;
    }
    return NO_ONE;
  };
}

/**
 * The partner a sentence is about, for an "It" after it: the one it names; of several, the first
 * named, or the one named right after an opening phrase that sets another aside ("Compared with
 * Beta Oil, Alpha Energy grew."), as a reader takes a pronoun for the subject. Named in a list
 * with another ("Alpha Energy and Beta Oil both …"), "It" may be either: only a figure of no
 * partner's passes after it.
 */
function sentenceSubject(read: string, from: number, named: readonly Mention[]): ReadonlySet<string> {
  const inOrder = [...named].sort((a, b) => a.start - b.start);
  const opening = OPENING_PHRASE.exec(read.slice(from));
  const openingEnd = opening ? from + opening[0].length : from;
  const afterOpening = inOrder.find((m) => m.start >= openingEnd);
  const subject = afterOpening && /^[\s*]*$/u.test(read.slice(openingEnd, afterOpening.start)) ? afterOpening : inOrder[0];
  const next = inOrder.find((m) => m.start >= subject.end);
  const gap = next ? read.slice(subject.end, next.start).replace(/\([^()]*\)/gu, "") : "";
  // "Beta Oil, Alpha Energy's co-venturer, lost …": a name set off by commas as the subject's description joins no list.
  const apposition = next !== undefined && /^\s*,\s*$/u.test(gap) && APPOSITION_AFTER_NAME.test(read.slice(next.end));
  const listed =
    next !== undefined && next.partner !== subject.partner && !apposition && (NAME_LIST_GAP.test(gap) || SUBJECT_JOIN.test(gap));
  return listed ? NOT_ONE_PARTNER : new Set([subject.partner]);
}

/**
 * Figures told of partners in order: a list of N figures (of one unit, joined by commas, "and",
 * "&", "/" or semicolons, all inside or all outside one parenthesis) after a list of N partners'
 * names in its sentence with no other name between them ("the shares of Alpha Energy and Beta
 * Oil are 59.68% and 40.32%"), or else before one ("43.54 bbl and 64.47 bbl went to Beta Oil and
 * Alpha Energy"); in a sentence with "respectively", any list of as many figures as the partners
 * it names, in the order they are first named. The i-th figure is the i-th partner's. By the
 * first digit's position. Lists of other lengths (figures given per partner in turn, a total
 * beside them) pair nothing.
 */
function pairedFigures(
  read: string,
  mentions: readonly Mention[],
  sentenceEnds: readonly number[],
  opened: ReadonlyArray<number | undefined>,
): Map<number, string> {
  const paired = new Map<number, string>();
  const outsideParentheses = (from: number, to: number) => atLevel(read, opened, from, to, opened[from]);
  const figures = [...read.matchAll(FIGURE)].map((m) => m.index).filter((i) => !mentions.some((m) => m.start <= i && i < m.end));
  const bounds = [0, ...sentenceEnds.filter((e) => e < read.length), read.length];
  for (let s = 0; s < bounds.length - 1; s += 1) {
    const [start, end] = [bounds[s], bounds[s + 1]];
    // A name's first word alone is found inside the whole name too: the whole name stands.
    const named = mentions
      .filter(
        (m) =>
          m.start >= start &&
          m.start < end &&
          !mentions.some((n) => n !== m && n.start <= m.start && m.end <= n.end && n.end - n.start > m.end - m.start),
      )
      .sort((a, b) => a.start - b.start);
    if (new Set(named.map((m) => m.partner)).size < 2) continue;
    const runs = figureLists(
      read,
      figures.filter((f) => f >= start && f < end),
      opened,
    );
    const pair = (run: readonly number[], partners: readonly string[]) => run.forEach((f, i) => paired.set(f, partners[i]));
    const lists: Mention[][] = [];
    for (const m of named) {
      const last = lists.at(-1)?.at(-1);
      if (last && NAME_LIST_GAP.test(outsideParentheses(last.end, m.start))) lists.at(-1)!.push(m);
      else lists.push([m]);
    }
    // A parenthesis right after a partner's name holds that partner's figures (the rule after this
    // one), unless the name ends a list none of whose other names has one: then the list's.
    const parenOf = (m: Mention) => {
      const opening = /^(?:['’]s)?\s*\(/u.exec(read.slice(m.end));
      return opening ? m.end + opening[0].length - 1 : undefined;
    };
    const nameOwns = (run: readonly number[]) => {
      const paren = opened[run[0]];
      const list = paren === undefined ? undefined : lists.find((l) => l.some((m) => parenOf(m) === paren));
      if (!list) return false;
      const listOwns = list.length > 1 && parenOf(list.at(-1)!) === paren && list.slice(0, -1).every((m) => parenOf(m) === undefined);
      return !listOwns;
    };
    const candidates = runs.filter((run) => !nameOwns(run));
    if (RESPECTIVELY.test(read.slice(start, end))) {
      const order = [...new Set(named.map((m) => m.partner))];
      for (const run of candidates) if (run.length === order.length) pair(run, order);
      continue;
    }
    const namesBetween = (from: number, to: number) => named.some((m) => m.start >= from && m.start < to);
    const partnersOf = (list: readonly Mention[] | undefined, run: readonly number[]) =>
      list && list.length === run.length && new Set(list.map((m) => m.partner)).size === run.length
        ? list.map((m) => m.partner)
        : undefined;
    for (const run of candidates) {
      const before = lists.filter((l) => l.at(-1)!.end <= run[0]).at(-1);
      const after = lists.find((l) => l[0].start > run.at(-1)!);
      const told = before
        ? namesBetween(before.at(-1)!.end, run[0])
          ? undefined
          : partnersOf(before, run)
        : after && !namesBetween(run.at(-1)!, after[0].start)
          ? partnersOf(after, run)
          : undefined;
      if (told) pair(run, told);
    }
  }
  return paired;
}

/** The text between two positions at one depth of parentheses: what deeper parentheses hold, and the parentheses, left out. */
function atLevel(read: string, opened: ReadonlyArray<number | undefined>, from: number, to: number, level: number | undefined): string {
  let text = "";
  for (let i = from; i < to; i += 1) if (opened[i] === level && read[i] !== "(" && read[i] !== ")") text += read[i];
  return text;
}

/**
 * The sentence's figures grouped into lists: neighbours in the same parenthesis (or in none), with
 * only a list's gap between them (what deeper parentheses hold left out) and no other unit.
 */
function figureLists(read: string, figures: readonly number[], opened: ReadonlyArray<number | undefined>): number[][] {
  const numbers: Array<{ at: number; end: number; unit: string }> = [];
  for (const f of figures) {
    // A decimal part's digits are no figure of their own.
    if (f < (numbers.at(-1)?.end ?? 0)) continue;
    FIGURE_TEXT.lastIndex = f;
    const end = f + (FIGURE_TEXT.exec(read)?.[0].length ?? 1);
    const unit = (UNIT.exec(read.slice(end))?.[1] ?? "")
      .toLowerCase()
      .replace(/\s+/gu, "")
      .replace(/^percent$|^barrels?$|^entry$/u, (u) => (u === "percent" ? "%" : u === "entry" ? "entries" : "bbl"));
    numbers.push({ at: f, end, unit });
  }
  // Each figure's neighbour in a list at its depth, and the unit it goes by: its own, or the next one's ("18 and 13 entries").
  const next = numbers.map((n, i) => {
    const j = numbers.findIndex((m, k) => k > i && opened[m.at] === opened[n.at]);
    return j >= 0 && FIGURE_LIST_GAP.test(atLevel(read, opened, n.end, numbers[j].at, opened[n.at])) ? j : undefined;
  });
  const units = numbers.map((n) => n.unit);
  for (let i = numbers.length - 1; i >= 0; i -= 1) if (units[i] === "" && next[i] !== undefined) units[i] = units[next[i]!];
  const runs: number[][] = [];
  const inRun = new Set<number>();
  numbers.forEach((n, i) => {
    if (inRun.has(i)) return;
    const run = [i];
    for (let j = next[i]; j !== undefined && units[j] === units[i]; j = next[j]) run.push(j);
    run.forEach((j) => inRun.add(j));
    if (run.length >= 2) runs.push(run.map((j) => numbers[j].at));
  });
  return runs;
}

/**
 * Each partner's name where the text writes it whole (any case), also without its company form;
 * the name's first word alone ("Beta's") where it is capitalised as in the name, has three letters
 * or more and is no other partner's first word; and its id: an id that is a plain word ("total",
 * "northwind") only for a partner without a name, which texts then call by its id ("in total"
 * would otherwise name partner `total`).
 */
function mentionsIn(read: string, partners: readonly PartnerLabels[]): Mention[] {
  const namesOf = (p: PartnerLabels) => p.labels.map((l) => l.trim()).filter((l) => l !== "" && l !== p.id);
  const firstWords = partners.flatMap((p) => namesOf(p).map((n) => n.split(/\s+/u)[0]));
  const mentions: Mention[] = [];
  for (const partner of partners) {
    const names = namesOf(partner);
    const labels = new Set(names.length === 0 || !/^\p{Ll}+$/u.test(partner.id) ? [partner.id, ...names] : names);
    for (const name of names) labels.add(name.replace(COMPANY_FORM, "").trim());
    for (const label of labels) {
      if (label.length >= 2) mentions.push(...found(read, label, partner.id, "giu"));
    }
    for (const name of names) {
      const first = name.split(/\s+/u)[0];
      const unique = firstWords.filter((w) => w.toLowerCase() === first.toLowerCase()).length === 1;
      if (name.includes(" ") && unique && /^\p{Lu}\p{L}{2,}$/u.test(first) && !ARTICLES.has(first.toLowerCase())) {
        mentions.push(...found(read, first, partner.id, "gu"));
      }
    }
  }
  return mentions;
}

/** First words that name no one ("The Niger Delta Company" is never "The"). */
const ARTICLES = new Set(["the", "and", "our", "its"]);

function found(read: string, label: string, partner: string, flags: string): Mention[] {
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_-])${escapeRegExp(label)}(?![\\p{L}\\p{N}_-])`, flags);
  return [...read.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length, partner }));
}

/** For each position, where the innermost parenthesis open there began (undefined outside any). */
function openParentheses(text: string): Array<number | undefined> {
  const open: number[] = [];
  const at: Array<number | undefined> = [];
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === ")" && open.length > 0) open.pop();
    at.push(open.at(-1));
    if (text[i] === "(") open.push(i);
  }
  at.push(open.at(-1));
  return at;
}
