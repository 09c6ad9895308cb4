// Which partners a written figure is told of: the figures check holds a partner's figure to that partner.

/** How a text may name a partner: its id and its name, as the data gives them (already as read). */
export interface PartnerLabels {
  id: string;
  labels: readonly string[];
}

export interface ToldOf {
  /** The partners the figure's clause speaks of; none when it names none and borrows none. */
  named: ReadonlySet<string>;
  /** The partner named nearest before the figure in its own clause: whose change a "rose by" tells. */
  subject?: string;
}

const NO_ONE: ToldOf = { named: new Set() };
/** Where a sentence ends: a full stop, "!" or "?" before a space (a decimal point has a digit after it), or a line break. */
const SENTENCE_END = /[.!?](?=\s|$)|\n/gu;
/** A full stop that ends an abbreviation, not the sentence ("Gamma Gas Ltd. was allocated"). */
const ABBREVIATION = /(?<!\p{L})(?:ltd|plc|inc|co|corp|llc|e\.g|i\.e|vs|approx|no)\.$/iu;
/** Where a clause begins: a semicolon, a comma that is no thousands separator, or a word that sets one figure against another. */
const CLAUSE_BREAK = /;|,(?!\d)|(?<=\s)(?:while|whereas|but|against|versus|compared\s+(?:with|to))(?=\s)/giu;
/** A clause with a subject of its own: it borrows no partner from the clauses before it. */
const OWN_SUBJECT = /^(?:;|,\s*(?:and|but|while|whereas|or)(?!\p{L})|while|whereas|but)/iu;
/** A partner told of without its name ("the other partner's rose"): whose figure it is, the check cannot say. */
const UNNAMED_PARTNER =
  /(?<!\p{L})(?:the\s+other|another|its|their|the\s+(?:larger|smaller|bigger|first|second|third|remaining))\s+partners?(?!\p{L})/giu;
/** A company form a text may leave off the name ("Beta Oil" for "Beta Oil Plc"). */
const COMPANY_FORM = /[\s,]+(?:ltd\.?|limited|plc|inc\.?|llc|corp\.?|co\.?|s\.a\.|ag|gmbh|b\.v\.)$/iu;

/**
 * For a text (as read), where each figure stands: the partners its clause names; a clause naming
 * none borrows those of the clause before it across a comma, "against", "versus" or "compared
 * with" ("Beta Oil's allocation fell by 35.28 bbl, to 4,076.96 bbl"), never across a semicolon or
 * a clause with its own subject (", and the other partner's rose to …"); a clause of names alone
 * passes them on ("Alpha Energy, Beta Oil and Gamma Gas were allocated …, respectively"). Commas
 * inside parentheses end no clause.
 */
export function partnersNamed(read: string, partners: readonly PartnerLabels[]): (at: number) => ToldOf {
  const mentions = mentionsIn(read, partners);
  if (mentions.length === 0) return () => NO_ONE;
  const sentenceEnds = [...read.matchAll(SENTENCE_END)]
    .filter(
      (m) =>
        m[0] !== "." ||
        !(mentions.some((n) => n.end === m.index + 1) || ABBREVIATION.test(read.slice(Math.max(0, m.index - 8), m.index + 1))),
    )
    .map((m) => m.index + m[0].length);
  const unnamed = [...read.matchAll(UNNAMED_PARTNER)].map((m) => m.index);
  const depth = parenthesisDepths(read);
  const clauseStarts = [...read.matchAll(CLAUSE_BREAK)].map((m) => m.index).filter((i) => depth[i] === 0);
  return (at) => {
    const start = Math.max(0, ...sentenceEnds.filter((e) => e <= at));
    const end = Math.min(read.length, ...sentenceEnds.filter((e) => e > at));
    const cuts = [start, ...clauseStarts.filter((c) => c > start && c < end), end];
    const own = (i: number) => mentions.filter((m) => m.start >= cuts[i] && m.start < cuts[i + 1]);
    const namesOnly = (i: number) => {
      const found = own(i);
      if (found.length === 0) return false;
      let rest = read.slice(cuts[i], cuts[i + 1]);
      for (const m of [...found].sort((a, b) => b.start - a.start)) rest = rest.slice(0, m.start - cuts[i]) + rest.slice(m.end - cuts[i]);
      return /^(?:[\s,;&]|and|or)*$/iu.test(rest);
    };
    const named = (i: number): string[] => [...own(i).map((m) => m.partner), ...(i > 0 && namesOnly(i - 1) ? named(i - 1) : [])];
    const here = cuts.findIndex((c, i) => i < cuts.length - 1 && c <= at && at < cuts[i + 1]);
    const subject = own(here)
      .filter((m) => m.start < at)
      .sort((a, b) => b.start - a.start)[0]?.partner;
    for (let clause = here; clause >= 0; clause -= 1) {
      if (unnamed.some((u) => u >= cuts[clause] && u < cuts[clause + 1])) return NO_ONE;
      const found = named(clause);
      if (found.length > 0) return { named: new Set(found), ...(clause === here && subject !== undefined ? { subject } : {}) };
      if (OWN_SUBJECT.test(read.slice(cuts[clause], cuts[clause + 1]).trimStart())) break;
    }
    return NO_ONE;
  };
}

/**
 * Each partner's name where the text writes it whole (any case), also without its company form,
 * and its id: an id that is a plain word ("total", "northwind") only for a partner without a name,
 * which texts then call by its id; otherwise "in total" would name partner "total".
 */
function mentionsIn(read: string, partners: readonly PartnerLabels[]): { start: number; end: number; partner: string }[] {
  const mentions: { start: number; end: number; partner: string }[] = [];
  for (const partner of partners) {
    const names = partner.labels.map((l) => l.trim()).filter((l) => l !== partner.id);
    const labels = new Set(names.length === 0 || !/^\p{Ll}+$/u.test(partner.id) ? [partner.id, ...names] : names);
    for (const label of [...labels]) labels.add(label.replace(COMPANY_FORM, "").trim());
    for (const label of labels) {
      if (label.length < 2) continue;
      const pattern = new RegExp(`(?<![\\p{L}\\p{N}_-])${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}_-])`, "giu");
      for (const m of read.matchAll(pattern)) mentions.push({ start: m.index, end: m.index + m[0].length, partner: partner.id });
    }
  }
  return mentions;
}

/** How many parentheses are open before each position. */
function parenthesisDepths(text: string): number[] {
  const depths: number[] = [];
  let depth = 0;
  for (const c of text) {
    for (let i = 0; i < c.length; i += 1) depths.push(depth);
    if (c === "(") depth += 1;
    else if (c === ")" && depth > 0) depth -= 1;
  }
  depths.push(depth);
  return depths;
}
