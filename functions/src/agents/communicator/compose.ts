// Gemini writes, the report decides: a reply is used only when every figure in it is one
// of the brief's figures; otherwise, or when Gemini fails, the brief's template is.

import { logger } from "firebase-functions";
import { allFiguresFromReport } from "../../domain/figures-check";
import { notificationSummarySchema, type NotificationSummary } from "../../domain/llm-schemas";
import { type NotificationBrief, SUMMARY_SYSTEM_INSTRUCTION } from "../../domain/notification-briefs";
import type { NotificationText } from "../../domain/notification-templates";
import type { AgentDeps } from "../../shared/agent-deps";
import type { GeminiErrorKind, GeminiResult } from "../../shared/gemini";
import { recordLlmUsage } from "../../shared/llm-usage";
import { mapLimited } from "../../shared/map-limited";

export type FallbackReason = GeminiErrorKind | "figures_not_in_report";

export interface ComposedText extends NotificationText {
  source: "gemini" | "template";
  model: string | null;
  /** Why the template was used; null when Gemini's text was. */
  fallback: { reason: FallbackReason; detail: string } | null;
}

/** Gemini calls of one round in flight at once: a 20-partner round stays well inside the trigger's deadline. */
const COMPOSE_CONCURRENCY = 6;

type ComposeDeps = Pick<AgentDeps, "db" | "gemini" | "clock">;

export async function composeText(deps: ComposeDeps, brief: NotificationBrief): Promise<ComposedText> {
  const result = await deps.gemini.generateJson({
    system: SUMMARY_SYSTEM_INSTRUCTION,
    prompt: brief.prompt,
    schema: notificationSummarySchema,
    label: `communicator.${brief.type}`,
  });
  const composed = fromReply(brief, result);
  // Usage is bookkeeping: losing one count must not lose the notification.
  await recordLlmUsage(deps.db, "communicator", result, composed.source === "template", deps.clock.now()).catch((e) =>
    logger.warn("communicator: could not record Gemini usage", { marker: brief.marker, error: String(e) }),
  );
  return composed;
}

function fromReply(brief: NotificationBrief, result: GeminiResult<NotificationSummary>): ComposedText {
  const template = (reason: FallbackReason, detail: string): ComposedText => ({
    ...brief.template,
    source: "template",
    model: null,
    fallback: { reason, detail },
  });
  if (!result.ok) return template(result.error.kind, result.error.message);
  const reply = result.value;
  const check = allFiguresFromReport(
    [reply.title, reply.body, ...reply.highlights].join("\n"),
    brief.allowedNumbers,
    brief.allowedStrings,
  );
  if (!check.ok) {
    return template("figures_not_in_report", `Gemini wrote figures the report does not hold: ${check.unknown.join(", ")}`);
  }
  return { title: reply.title, body: reply.body, highlights: reply.highlights, source: "gemini", model: result.model, fallback: null };
}

/** Composes each brief once, a few at a time, in the order given. */
export function composeAll(deps: ComposeDeps, briefs: readonly NotificationBrief[]): Promise<ComposedText[]> {
  return mapLimited(briefs, COMPOSE_CONCURRENCY, (brief) => composeText(deps, brief));
}
