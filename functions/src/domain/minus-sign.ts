/** A number as a sentence shows it: a negative one with the minus sign U+2212, as the statements and the web app print it. */
export const inWords = (value: number | string): string => String(value).replace(/^-/, "\u2212");
