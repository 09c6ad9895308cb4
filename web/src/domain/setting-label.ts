/** A field's label inside a sentence: "Contract day starts at hour" → "contract day starts at hour"; an acronym ("UTC offset") stays. */
export function labelInSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

/** A settings key the screen has no label for, in words: "contract_day_start_hour" → "contract day start hour". */
export const keyInWords = (key: string) => key.replace(/_/g, " ");
