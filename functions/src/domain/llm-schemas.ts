// The shapes Gemini must answer in. They are sent as the response JSON schema and parsed
// again with zod, so a reply outside them is a failed call, never stored text.

import { z } from "zod";

export const SUMMARY_TITLE_MAX = 120;
export const SUMMARY_BODY_MAX = 2000;
export const SUMMARY_HIGHLIGHTS_MAX = 6;

export const notificationSummarySchema = z.object({
  title: z.string().trim().min(1).max(SUMMARY_TITLE_MAX).describe("One line naming what happened."),
  body: z.string().trim().min(1).max(SUMMARY_BODY_MAX).describe("Plain text for the recipient; only figures from the data given."),
  highlights: z
    .array(z.string().trim().min(1).max(200))
    .max(SUMMARY_HIGHLIGHTS_MAX)
    .describe("Short key facts, each with its figure as given."),
});
export type NotificationSummary = z.output<typeof notificationSummarySchema>;

export const entryExplanationSchema = z.object({
  summary: z.string().trim().min(1).max(1200).describe("Why the entry was flagged, in plain words."),
  likely_causes: z.array(z.string().trim().min(1).max(300)).max(6),
  checks_to_make: z.array(z.string().trim().min(1).max(300)).max(6),
});
export type EntryExplanation = z.output<typeof entryExplanationSchema>;
