/** The text of every page of a PDF, as pdf.js extracts it (one string per text item, a line each). */
export async function pdfText(bytes: Buffer): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i += 1) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join("\n"));
  }
  return pages.join("\n");
}

/** Every text item of a PDF with its page, its baseline (points from the page's bottom) and its x span. */
export async function pdfTextItems(bytes: Buffer): Promise<Array<{ page: number; y: number; x: number; right: number; text: string }>> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const items: Array<{ page: number; y: number; x: number; right: number; text: string }> = [];
  for (let i = 1; i <= pdf.numPages; i += 1) {
    const content = await (await pdf.getPage(i)).getTextContent();
    for (const item of content.items) {
      if (!("str" in item) || item.str.trim() === "") continue;
      items.push({
        page: i,
        y: item.transform[5] as number,
        x: item.transform[4] as number,
        right: (item.transform[4] as number) + item.width,
        text: item.str,
      });
    }
  }
  return items;
}
