const ACRONYMS: Readonly<Record<string, string>> = { bsw: "BS&W", api: "API", jv: "JV", luaf: "LUAF", nsv: "NSV", gsv: "GSV" };

/** A code or key no screen has a title for, in words: "BSW_ABOVE_TYPICAL" → "BS&W above typical", "api_key_created" → "API key created". */
export function codeInWords(code: string): string {
  const words = code
    .toLowerCase()
    .split(/[_\s]+/)
    .filter((w) => w !== "")
    .map((w) => (Object.hasOwn(ACRONYMS, w) ? ACRONYMS[w] : w));
  const text = words.join(" ");
  return text === "" ? code : text.charAt(0).toUpperCase() + text.slice(1);
}
