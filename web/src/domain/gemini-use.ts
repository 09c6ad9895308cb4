import { num } from "../format";

/**
 * Why Gemini gave no usable answer, from the short code the agents store (`gemini_error`:
 * functions/src/domain/audit-explanation.ts, geminiErrorCode; the communicator's fallback reasons).
 */
export function geminiReasonInWords(code: string): string {
  const http = /^http_(\d{3})$/.exec(code);
  if (http) return `Gemini answered with an error (HTTP ${http[1]})`;
  switch (code) {
    case "no_key":
      return "no Gemini API key is configured";
    case "timeout":
      return "Gemini did not answer in time";
    case "http":
      return "Gemini answered with an error";
    case "network":
      return "Gemini could not be reached";
    case "malformed":
      return "Gemini's answer could not be read";
    case "invalid":
      return "Gemini's answer did not have the expected form";
    case "figures_not_grounded":
      return "Gemini's answer held figures that are not the entry's own";
    case "figures_not_in_report":
      return "Gemini's answer held figures that are not the report's own";
    case "echoed_input":
      return "Gemini's answer repeated text typed into the entry";
    case "decided_the_entry":
      return "Gemini's answer recommended a decision on the entry, which is the reviewer's";
    case "budget_exhausted":
      return "the day's Gemini budget was used up";
    default:
      return `a reason the app does not know (${code})`;
  }
}

/** One agent's Gemini counts of a day (`llm_usage/{day}_{agent}`, its shards added up). */
export interface GeminiDayUse {
  calls?: number;
  failures?: number;
  fallbacks?: number;
  /** Failures for want of an API key: the one reason the counts record. */
  no_key?: number;
}

export interface GeminiDayStatus {
  kind: "ok" | "warn" | "error";
  text: string;
}

/**
 * The day's Gemini use at a glance, across the agents: whether its calls failed, why when the
 * counts say (only a missing key is counted), and whether the rule-based templates stood in.
 * Undefined when no call was made that day.
 */
export function geminiDayStatus(day: string, today: string, uses: readonly GeminiDayUse[]): GeminiDayStatus | undefined {
  const sum = (field: keyof GeminiDayUse) => uses.reduce((total, u) => total + (u[field] ?? 0), 0);
  const calls = sum("calls");
  if (calls === 0) return undefined;
  const failures = sum("failures");
  const fallbacks = sum("fallbacks");
  const noKey = sum("no_key");
  const when = day === today ? "today" : `on ${day}`;
  const templates =
    fallbacks >= calls
      ? "notices and explanations used the rule-based templates"
      : `${num(fallbacks, 0)} ${fallbacks === 1 ? "notice or explanation" : "notices and explanations"} used the rule-based templates`;
  const reason =
    noKey === 0
      ? ""
      : noKey === failures
        ? "; reason: no API key configured"
        : `; ${num(noKey, 0)} for want of an API key`;
  if (failures >= calls) {
    return { kind: "error", text: `Gemini: every call ${when} failed (${num(failures, 0)} of ${num(calls, 0)}${reason}) — ${templates}.` };
  }
  if (failures > 0) {
    return { kind: "warn", text: `Gemini: ${num(failures, 0)} of ${num(calls, 0)} calls ${when} failed${reason === "" ? "" : ` (${reason.slice(2)})`} — ${templates}.` };
  }
  if (fallbacks > 0) {
    return {
      kind: "warn",
      text: `Gemini answered all ${num(calls, 0)} calls ${when}, but ${num(fallbacks, 0)} ${fallbacks === 1 ? "answer" : "answers"} could not be used — ${fallbacks === 1 ? "that notice or explanation" : "those notices and explanations"} used the rule-based templates.`,
    };
  }
  return { kind: "ok", text: `Gemini answered all ${num(calls, 0)} calls ${when}.` };
}
