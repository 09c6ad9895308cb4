import { useEffect, useState } from "preact/hooks";
import { useLiveQuery } from "../../data/live";
import { agentStatuses, allPartners, counterShards, llmBudgetsSince, llmUsageSince } from "../../data/queries";
import type { Timestamp } from "firebase/firestore";
import { agentName } from "../../domain/account-label";
import { geminiDayStatus, type GeminiDayUse } from "../../domain/gemini-use";
import { dateTime, num } from "../../format";
import { Badge, Card, Loaded, Page, TableScroll } from "../../ui/common";

interface AgentStatus {
  agent?: string;
  last_run_at?: Timestamp;
  last_duration_ms?: number;
  last_outcome?: "ok" | "error";
  last_error?: string;
  last_error_at?: Timestamp;
}

/** `llm_usage/{day}_{agent}` (day, agent, model; counts in its shards) or `{day}_budget_…` (calls taken against a limit). */
interface LlmUsage {
  day?: string;
  agent?: string;
  model?: string;
  calls?: number;
  refused?: number;
  limit?: number;
  scope?: "jv" | "partner";
  partner_id?: string;
}

/** A sharded counter's fields added up, live; undefined while loading. */
function useShardTotals(docPath: string): { totals?: Record<string, number>; error?: string } {
  const shards = useLiveQuery<Record<string, unknown>>(counterShards(docPath), docPath).value;
  if (shards.error) return { error: shards.error };
  if (shards.loading) return {};
  const totals: Record<string, number> = {};
  for (const { data } of shards.docs) {
    for (const [field, value] of Object.entries(data)) if (typeof value === "number") totals[field] = (totals[field] ?? 0) + value;
  }
  return { totals };
}

const count = (totals: Record<string, number> | undefined, field: string) => (totals ? num(totals[field] ?? 0, 0) : "…");

/**
 * `gemini`: the agent's Gemini counts of the day the banner speaks of (`llm_usage`, as the banner
 * adds them up); undefined while they are read, null when the agent made no call that day, UNREAD
 * when they could not be read.
 */
/** The Gemini use could not be read: nothing is said of an agent's calls. */
const UNREAD = "unread";

function AgentRow({ id, a, gemini, geminiLabel }: { id: string; a: AgentStatus; gemini: GeminiDayUse | null | undefined | typeof UNREAD; geminiLabel: string }) {
  const { totals, error } = useShardTotals(`agent_status/${id}`);
  return (
    <tr role="row" data-agent={id}>
      <th role="rowheader" scope="row">{agentName(a.agent ?? id)}</th>
      <td role="cell" data-label="Last outcome">{a.last_outcome ? <Badge status={a.last_outcome} /> : "—"}</td>
      <td role="cell" class="nowrap" data-label="Last run">{dateTime(a.last_run_at)}</td>
      <td role="cell" class="num" data-label="Duration (ms)">{num(a.last_duration_ms, 0)}</td>
      <td role="cell" class="num" data-label="Runs" data-testid="runs">{error ? "—" : count(totals, "runs")}</td>
      <td role="cell" class="num" data-label="Failed runs" data-testid="failures">{error ? "—" : count(totals, "failures")}</td>
      <td role="cell" class="num" data-label={geminiLabel} data-testid="gemini-failed">
        {gemini === UNREAD ? "—" : gemini === undefined ? "…" : gemini === null ? <span class="muted">no calls</span> : `${num(gemini.failures ?? 0, 0)} of ${num(gemini.calls ?? 0, 0)}`}
      </td>
      <td role="cell" class="wrap wide" data-label="Last error">{a.last_error ? `${a.last_error} (${dateTime(a.last_error_at)})` : <span class="muted">none</span>}</td>
    </tr>
  );
}

function UsageRow({ id, u, onTotals }: { id: string; u: LlmUsage; onTotals: (id: string, totals: Record<string, number>) => void }) {
  const { totals, error } = useShardTotals(`llm_usage/${id}`);
  useEffect(() => {
    if (totals) onTotals(id, totals);
  }, [id, totals && JSON.stringify(totals)]);
  const shown = (field: string) => (error ? "—" : count(totals, field));
  return (
    <tr role="row" data-usage={id}>
      <td role="cell" class="nowrap" data-label="Day (UTC)">{u.day ?? id.slice(0, 10)}</td>
      <td role="cell" data-label="Agent">{u.agent ? agentName(u.agent) : "—"}</td>
      <td role="cell" class="wide" data-label="Model">{u.model ?? "—"}</td>
      <td role="cell" class="num" data-label="Calls" data-testid="calls">{shown("calls")}</td>
      <td role="cell" class="num" data-label="Failed">{shown("failures")}</td>
      <td role="cell" class="num" data-label="Template used">{shown("fallbacks")}</td>
      <td role="cell" class="num" data-label="Tokens">{shown("total_tokens")}</td>
    </tr>
  );
}


/** agent_status summaries with their run counts, and the days/agents that used Gemini with theirs and the daily budgets. */
export function HealthScreen() {
  const status = useLiveQuery<AgentStatus>(agentStatuses(), "agents");
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const usage = useLiveQuery<LlmUsage>(llmUsageSince(since), `llm-${since}`);
  const weekStart = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  const budgets = useLiveQuery<LlmUsage>(llmBudgetsSince(weekStart), `llm-budgets-${weekStart}`);
  const partners = useLiveQuery<{ name?: string }>(allPartners(), "partners").value;
  const partnerNames = new Map(partners.docs.map((p) => [p.id, p.data.name]));
  const budgetFor = (b: LlmUsage) => (b.scope === "partner" ? partnerNames.get(b.partner_id ?? "") ?? `partner ${b.partner_id ?? "?"}` : "the JV");
  const [usageTotals, setUsageTotals] = useState<Record<string, GeminiDayUse>>({});
  const onTotals = (id: string, totals: Record<string, number>) => setUsageTotals((all) => ({ ...all, [id]: totals }));
  const today = new Date().toISOString().slice(0, 10);
  // The newest day of Gemini use, once every agent's counts of it are in.
  const usageDocs = usage.value.docs;
  const newestDay = usageDocs[0] ? usageDocs[0].data.day ?? usageDocs[0].id.slice(0, 10) : undefined;
  const ofNewestDay = usageDocs.filter((d) => (d.data.day ?? d.id.slice(0, 10)) === newestDay).map((d) => usageTotals[d.id]);
  const gemini =
    newestDay && ofNewestDay.every((t) => t !== undefined)
      ? geminiDayStatus(newestDay, today, ofNewestDay as GeminiDayUse[])
      : undefined;
  const dayInWords = newestDay === today ? "today" : newestDay ?? "";
  const geminiLabel = `Gemini calls failed${newestDay ? ` (${dayInWords})` : ""}`;
  const geminiOf = (agent: string): GeminiDayUse | null | undefined | typeof UNREAD => {
    const mine = usageDocs.filter((d) => (d.data.day ?? d.id.slice(0, 10)) === newestDay && d.data.agent === agent);
    if (usage.value.error) return UNREAD;
    if (usage.value.loading) return undefined;
    if (mine.length === 0) return null;
    const counts = mine.map((d) => usageTotals[d.id]);
    if (counts.some((t) => t === undefined)) return undefined;
    return { calls: counts.reduce((n, t) => n + (t!.calls ?? 0), 0), failures: counts.reduce((n, t) => n + (t!.failures ?? 0), 0) };
  };
  return (
    <Page
      title="Agent health"
      intro="Whether each agent is working: its runs and failed runs (a request refused as it should be is not a failure) and its last run (recorded at most every 5 s per instance); and Gemini's part: each agent's calls that failed on the banner's day, the last 30 days of use, and the last 7 days of the daily budgets (the JV's and each partner's)."
    >
      {gemini && (
        <p class={`alert alert-${gemini.kind}`} role="status" data-testid="gemini-status" data-kind={gemini.kind}>
          {gemini.text}
        </p>
      )}
      <Card title="Agents">
        <Loaded live={status.value} empty="No agent has run yet in this project.">
          {(docs) => (
            <>
            <TableScroll blocks="blocks-list" label="Agent runs"><table class="data as-blocks" data-testid="agents" role="table">
              <thead role="rowgroup">
                <tr role="row">
                  <th role="columnheader" scope="col">Agent</th><th role="columnheader" scope="col">Last outcome</th><th role="columnheader" scope="col">Last run</th><th role="columnheader" scope="col" class="num">Duration (ms)</th>
                  <th role="columnheader" scope="col" class="num">Runs</th><th role="columnheader" scope="col" class="num">Failed runs</th>
                  <th role="columnheader" scope="col" class="num">{geminiLabel}</th><th role="columnheader" scope="col">Last error</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {docs.map(({ id, data: a }) => <AgentRow key={id} id={id} a={a} gemini={geminiOf(a.agent ?? id)} geminiLabel={geminiLabel} />)}
              </tbody>
            </table></TableScroll>
            <p class="muted small-text" data-testid="agents-counts-note">
              Runs and failed runs count every run since the project began: a failed run is one that ended in an error (a trigger's is then tried again).
              A Gemini call that failed is not a failed run: the agent wrote its notice or explanation from the rule-based template and the run succeeded.
              {newestDay && <> Gemini calls failed counts the calls of {dayInWords === "today" ? "today (UTC)" : `${newestDay} (UTC)`}, per agent, as the banner above adds them up.</>}
            </p>
            </>
          )}
        </Loaded>
      </Card>
      <Card title="Gemini use">
        <Loaded live={usage.value} empty="No Gemini calls recorded in the last 30 days.">
          {(days) => (
            <TableScroll blocks="blocks-list" label="Gemini calls per day"><table class="data as-blocks" data-testid="llm-usage" role="table">
              <thead role="rowgroup">
                <tr role="row">
                  <th role="columnheader" scope="col">Day (UTC)</th><th role="columnheader" scope="col">Agent</th><th role="columnheader" scope="col">Model</th><th role="columnheader" scope="col" class="num">Calls</th>
                  <th role="columnheader" scope="col" class="num">Failed</th><th role="columnheader" scope="col" class="num">Template used</th><th role="columnheader" scope="col" class="num">Tokens</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {days.map(({ id, data: u }) => <UsageRow key={id} id={id} u={u} onTotals={onTotals} />)}
              </tbody>
            </table></TableScroll>
          )}
        </Loaded>
      </Card>
      <Card title="Daily Gemini budgets (last 7 days)">
        <Loaded live={budgets.value} empty="No budget has been drawn on in the last 7 days.">
          {(docs) => (
            <>
              <TableScroll blocks="blocks-list" label="Gemini budgets per day"><table class="data as-blocks" data-testid="llm-budgets" role="table">
                <thead role="rowgroup"><tr role="row"><th role="columnheader" scope="col">Day (UTC)</th><th role="columnheader" scope="col">For</th><th role="columnheader" scope="col" class="num">Calls taken</th><th role="columnheader" scope="col" class="num">Refused</th><th role="columnheader" scope="col" class="num">Limit</th></tr></thead>
                <tbody role="rowgroup">
                  {docs.map(({ id, data: b }) => (
                    <tr role="row" key={id} data-budget={id}><td role="cell" class="nowrap" data-label="Day (UTC)">{b.day ?? id.slice(0, 10)}</td><td role="cell" data-label="For">{budgetFor(b)}</td><td role="cell" class="num" data-label="Calls taken">{num(b.calls ?? 0, 0)}</td><td role="cell" class="num" data-label="Refused">{num(b.refused ?? 0, 0)}</td><td role="cell" class="num" data-label="Limit">{num(b.limit, 0)}</td></tr>
                  ))}
                </tbody>
              </table></TableScroll>
              {docs.length === llmBudgetsSince(weekStart).limit && <p class="muted">The newest {docs.length} budget documents are shown; older days are left out.</p>}
            </>
          )}
        </Loaded>
      </Card>
    </Page>
  );
}
