// Gemini writes, the report decides: a reply is used only when every figure in it is one
// of the brief's figures; otherwise, or when Gemini fails, the brief's template is.

import { logger } from "firebase-functions/logger";
import { echoedInput, groundedFigures } from "../../domain/figures-check";
import { notificationSummarySchema, SUMMARY_BODY_MAX, SUMMARY_TITLE_MAX, type NotificationSummary } from "../../domain/llm-schemas";
import { capText } from "../../domain/bounded-id";
import { type NotificationBrief, SUMMARY_SYSTEM_INSTRUCTION } from "../../domain/notification-briefs";
import type { NotificationText } from "../../domain/notification-templates";
import type { AgentDeps } from "../../shared/agent-deps";
import type { GeminiErrorKind, GeminiResult } from "../../shared/gemini";
import { NOT_ASKED, takeGeminiCall, takeGeminiCalls, type BudgetDecision } from "../../shared/gemini-budget";
import { recordLlmUsage } from "../../shared/llm-usage";
import { mapLimited } from "../../shared/map-limited";

export type FallbackReason =
  | GeminiErrorKind
  | "figures_not_in_report"
  | "echoed_input"
  | "budget_exhausted"
  | "debounced"
  | "rules_verdict"
  | "coordinator_decision"
  | "flag_digest";

export interface ComposedText extends NotificationText {
  source: "gemini" | "template";
  model: string | null;
  /** Why the template was used; null when Gemini's text was. */
  fallback: { reason: FallbackReason; detail: string } | null;
}

/** Why the standard text is shown, as recipients read it (never Gemini's raw error). */
const FALLBACK_WORDS: Record<GeminiErrorKind, string> = {
  timeout: "Gemini did not answer in time, so the standard text is shown.",
  http: "Gemini answered with an error{status}, so the standard text is shown.",
  network: "Gemini could not be reached, so the standard text is shown.",
  malformed: "Gemini's answer could not be read, so the standard text is shown.",
  invalid: "Gemini's answer did not have the expected form, so the standard text is shown.",
  no_key: "Gemini is not configured, so the standard text is shown.",
};

/** Gemini calls of one round in flight at once: a 20-partner round stays well inside the trigger's deadline. */
const COMPOSE_CONCURRENCY = 6;

type ComposeDeps = Pick<AgentDeps, "db" | "gemini" | "clock" | "geminiBudget">;

/** `taken`: the budget's answer for this brief, when its round took its calls at once (composeAll). */
export async function composeText(deps: ComposeDeps, brief: NotificationBrief, taken?: BudgetDecision): Promise<ComposedText> {
  if (brief.templateOnly) return { ...brief.template, source: "template", model: null, fallback: brief.templateOnly };
  // Without a key Gemini is never asked: nothing to take from the budget (the answer below is `no_key`).
  const budget =
    taken ?? (deps.gemini.configured ? await takeGeminiCall(deps.db, deps.geminiBudget, brief.budgetPartner, deps.clock.now()) : NOT_ASKED);
  if (!budget.ok) {
    logger.info("communicator: Gemini budget used up, using the template", {
      marker: brief.marker,
      scope: budget.scope,
      limit: budget.limit,
    });
    return {
      ...brief.template,
      source: "template",
      model: null,
      fallback: { reason: "budget_exhausted", detail: `Gemini was not asked: ${budget.words}, so the standard text is shown.` },
    };
  }
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
  if (!result.ok) {
    // Recipients see why in fixed words; Gemini's own error text stays in the logs.
    logger.warn("communicator: Gemini failed, using the template", { marker: brief.marker, error: result.error.message });
    const words = FALLBACK_WORDS[result.error.kind];
    const status = result.error.kind === "http" && result.error.status !== undefined ? ` (HTTP ${result.error.status})` : "";
    return template(result.error.kind, words.replace("{status}", status));
  }
  const reply = result.value;
  const text = [reply.title, reply.body, ...reply.highlights].join("\n");
  const check = groundedFigures(text, brief.grounding);
  if (!check.ok) {
    logger.warn("communicator: Gemini's figures are not the report's", { marker: brief.marker, unknown: check.unknown });
    return template("figures_not_in_report", "Gemini's text held figures that are not the report's own, so the standard text is shown.");
  }
  const echoed = echoedInput(text, brief.typed, brief.grounding.names);
  if (echoed.length > 0) {
    logger.warn("communicator: Gemini repeated text people typed", { marker: brief.marker, echoed });
    return template("echoed_input", "Gemini's text repeated text typed into an id or a name, so the standard text is shown.");
  }
  const notice = brief.notice;
  // Within the reply schema's bounds once the notice is added (capText never cuts a character in two).
  const title =
    notice && !reply.title.includes(notice.titleSuffix.trim())
      ? `${capText(reply.title, SUMMARY_TITLE_MAX - notice.titleSuffix.length)}${notice.titleSuffix}`
      : reply.title;
  const body =
    notice && !reply.body.includes(notice.line)
      ? `${notice.line}\n${capText(reply.body, SUMMARY_BODY_MAX - notice.line.length - 1)}`
      : reply.body;
  return {
    title,
    body,
    highlights: reply.highlights,
    source: "gemini",
    model: result.model,
    fallback: null,
  };
}

/**
 * Composes each brief once, a few at a time, in the order given, with the Gemini calls the
 * round may make taken from the budget first, in one transaction and in that order.
 */
export async function composeAll(deps: ComposeDeps, briefs: readonly NotificationBrief[]): Promise<ComposedText[]> {
  // Without a key none is asked: no decision taken, and composeText answers no_key without the budget.
  const asking = deps.gemini.configured ? briefs.filter((brief) => !brief.templateOnly) : [];
  const decisions = await takeGeminiCalls(
    deps.db,
    deps.geminiBudget,
    asking.map((brief) => brief.budgetPartner),
    deps.clock.now(),
  );
  let next = 0;
  const rounds = briefs.map((brief) => ({ brief, taken: brief.templateOnly ? undefined : decisions[next++] }));
  return mapLimited(rounds, COMPOSE_CONCURRENCY, ({ brief, taken }) => composeText(deps, brief, taken));
}
