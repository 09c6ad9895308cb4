/** "Partner Northwind Energy" by its name, or `Partner "northwind"` by its id when it has none. */
export function partnerWords(partnerId: string, name: unknown): string {
  const named = typeof name === "string" ? name.trim() : "";
  return named ? `Partner ${named}` : `Partner "${partnerId}"`;
}
