import { useLiveQuery } from "../../data/live";
import { agentStatuses, llmUsageSince } from "../../data/queries";
import type { Timestamp } from "firebase/firestore";
import { dateTime, num } from "../../format";
import { Badge, Card, Loaded, Page } from "../../ui/common";

interface AgentStatus {
  agent?: string;
  last_run_at?: Timestamp;
  last_duration_ms?: number;
  last_outcome?: "ok" | "error";
  last_error?: string;
  last_error_at?: Timestamp;
}

interface LlmUsage {
  day?: string;
  agent?: string;
  model?: string;
}

/** agent_status summaries and the days/agents that used Gemini (the counts are in shards the rules keep server-side). */
export function HealthScreen() {
  const status = useLiveQuery<AgentStatus>(agentStatuses(), "agents");
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const usage = useLiveQuery<LlmUsage>(llmUsageSince(since), `llm-${since}`);
  return (
    <Page title="Agent health" intro="The last run of each agent (written at most every 5 s per instance) and the last 30 days of Gemini use.">
      <Card title="Agents">
        <Loaded live={status.value} empty="No agent has run yet in this project.">
          {(docs) => (
            <table class="data" data-testid="agents">
              <thead>
                <tr><th scope="col">Agent</th><th scope="col">Last outcome</th><th scope="col">Last run</th><th scope="col" class="num">Duration (ms)</th><th scope="col">Last error</th></tr>
              </thead>
              <tbody>
                {docs.map(({ id, data: a }) => (
                  <tr key={id}>
                    <th scope="row">{a.agent ?? id}</th>
                    <td>{a.last_outcome ? <Badge status={a.last_outcome} /> : "—"}</td>
                    <td class="nowrap">{dateTime(a.last_run_at)}</td>
                    <td class="num">{num(a.last_duration_ms, 0)}</td>
                    <td class="wrap">{a.last_error ? `${a.last_error} (${dateTime(a.last_error_at)})` : <span class="muted">none</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Loaded>
      </Card>
      <Card title="Gemini use">
        <Loaded live={usage.value} empty="No Gemini calls recorded.">
          {(docs) => (
            <table class="data" data-testid="llm-usage">
              <thead><tr><th scope="col">Day</th><th scope="col">Agent</th><th scope="col">Model</th></tr></thead>
              <tbody>
                {docs.map(({ id, data: u }) => (
                  <tr key={id}><td class="nowrap">{u.day ?? id}</td><td>{u.agent ?? "—"}</td><td>{u.model ?? "—"}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </Loaded>
      </Card>
    </Page>
  );
}
