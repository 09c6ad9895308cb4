/** "1 entry", "2 entries": a count and its noun, as a reader says them. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
