import type { Timestamp } from "firebase/firestore";
import { useState } from "preact/hooks";
import { setJvSettings } from "../data/callables";
import { useLiveDoc, useLiveQuery } from "../data/live";
import { closedDaysSince } from "../data/queries";
import { requireUser } from "../data/session";
import { contractDayText, jvSettingProblem, resolveJvSettings, startDateProblem, utcOffsetRangeText, utcOffsetText, type JvSettingKey, type JvSettings } from "../domain/jv-settings";
import { dateTime, errorMessage, luafTolerance, signed } from "../format";
import { keyInWords, labelInSentence } from "../domain/setting-label";
import { Alert, Card, Page } from "../ui/common";
import { PersonName } from "../ui/person";

export const JV_SETTINGS_PATH = "settings/jv";

type StoredSettings = Partial<JvSettings> & { updated_by?: string; updated_at?: Timestamp };

const FIELDS: Array<{ key: JvSettingKey; label: string; unit?: string; help: string; show: (s: JvSettings) => string }> = [
  { key: "contract_day_start_hour", label: "Contract day starts at hour", unit: "0–23", help: "Local to the UTC offset below.", show: (s) => `${String(s.contract_day_start_hour).padStart(2, "0")}:00` },
  { key: "utc_offset_minutes", label: "UTC offset", unit: `minutes, ${utcOffsetRangeText}`, help: "A fixed offset: no daylight saving.", show: (s) => `${utcOffsetText(s.utc_offset_minutes)} (${signed(s.utc_offset_minutes, 0)} min)` },
  { key: "luaf_tolerance_percent", label: "LUAF tolerance", unit: "%", help: "Loss and unaccounted-for: a shrinkage beyond ± this needs the coordinator's acknowledgement to reconcile.", show: (s) => `± ${luafTolerance(s.luaf_tolerance_percent)} %` },
  { key: "jv_start_date", label: "JV start date", help: "The first day of the JV; empty for none.", show: (s) => s.jv_start_date ?? "not set" },
  {
    key: "release_approval_required",
    label: "Release approval",
    help: "The coordinator who reconciled cannot release their own version (four eyes). Versions already waiting for their release keep waiting when this is turned off, and released versions stay released when it is turned on.",
    show: (s) => (s.release_approval_required ? "Required: another coordinator or an admin releases each new version to the partners" : "Not required: partners see a new version as it is made"),
  },
  { key: "exception_window_days", label: "Exception window", unit: "days, 1–3650", help: "How long after a statement is issued a partner may take exception to it (two years is usual).", show: (s) => `${s.exception_window_days} days` },
];

/** A field's label inside a sentence ("contract day starts at hour", "UTC offset"); a key the screen does not know, in words. */
export function settingLabel(key: string): string {
  const label = FIELDS.find((f) => f.key === key)?.label;
  return label ? labelInSentence(label) : keyInWords(key);
}

/**
 * One setting's change as the audit log shows it, "LUAF tolerance ± 2.00 % → ± 1.50 %", each value as
 * the form shows it (release approval: "required" or "not required"); a key the form does not know,
 * as recorded.
 */
export function settingChange(key: string, before: unknown, after: unknown): string {
  const field = FIELDS.find((f) => f.key === key);
  const value = (v: unknown): string => {
    if (!field) return JSON.stringify(v) ?? "none";
    if (key === CHECKBOX) return v === true ? "required" : "not required";
    return field.show(resolveJvSettings({ [key]: v }).settings);
  };
  return `${settingLabel(key)} ${value(before)} → ${value(after)}`;
}

/** The contract day's fields: fixed once any day is closed (closed days are named by it). */
const CONTRACT_DAY_FIELDS: JvSettingKey[] = ["contract_day_start_hour", "utc_offset_minutes"];

/** The one yes/no setting: a checkbox (its text is "true" or "false" in the form's state). */
const CHECKBOX: JvSettingKey = "release_approval_required";

const asText = (s: JvSettings): Record<JvSettingKey, string> => ({
  contract_day_start_hour: String(s.contract_day_start_hour),
  utc_offset_minutes: String(s.utc_offset_minutes),
  luaf_tolerance_percent: String(s.luaf_tolerance_percent),
  jv_start_date: s.jv_start_date ?? "",
  release_approval_required: String(s.release_approval_required),
  exception_window_days: String(s.exception_window_days),
});

function parse(key: JvSettingKey, text: string): unknown {
  if (key === CHECKBOX) return text === "true";
  if (key === "jv_start_date") return text.trim() === "" ? null : text.trim();
  return text.trim() === "" ? Number.NaN : Number(text);
}

/**
 * Admins: changes only the fields edited; the callable refuses what the schema or the close forbids.
 * A field not edited shows the settings as they are now: another admin's change meanwhile is
 * neither hidden nor sent back.
 */
function SettingsForm({ current, closedDay }: { current: JvSettings; closedDay?: string }) {
  const [edits, setEdits] = useState<Partial<Record<JvSettingKey, string>>>({});
  const text: Record<JvSettingKey, string> = { ...asText(current), ...edits };
  // A field typed back to the value it has is no edit: it follows the settings again.
  const typed = (key: JvSettingKey, value: string) => {
    const { [key]: _dropped, ...others } = edits;
    setEdits(value === asText(current)[key] ? others : { ...others, [key]: value });
  };
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string }>();
  const fixed = (key: JvSettingKey) => closedDay !== undefined && CONTRACT_DAY_FIELDS.includes(key);
  // A contract-day field typed before the closed day was read is not sent: it is shown as it stands.
  const values = Object.fromEntries(FIELDS.map((f) => [f.key, fixed(f.key) ? current[f.key] : parse(f.key, text[f.key])])) as Record<JvSettingKey, unknown>;
  const problems = Object.fromEntries(FIELDS.map((f) => [f.key, jvSettingProblem(f.key, values[f.key])])) as Record<JvSettingKey, string | undefined>;
  if (values.jv_start_date !== current.jv_start_date) problems.jv_start_date ??= startDateProblem(values.jv_start_date, closedDay);
  const changed = FIELDS.map((f) => f.key).filter((k) => values[k] !== current[k]);
  const invalid = FIELDS.some((f) => problems[f.key]);
  const save = async (event: Event) => {
    event.preventDefault();
    if (invalid || changed.length === 0) return;
    setBusy(true);
    setMessage(undefined);
    try {
      const result = await setJvSettings(Object.fromEntries(changed.map((k) => [k, values[k]])) as Partial<JvSettings>);
      setMessage({ kind: "ok", text: result.changed.length ? `Saved: ${result.changed.map(settingLabel).join(", ")}.` : "Nothing changed." });
      setEdits({});
    } catch (e) {
      setMessage({ kind: "error", text: `Not saved: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save} aria-label="Change JV settings" data-testid="settings-form" noValidate>
      <div class="grid-2">
        {FIELDS.filter((f) => f.key !== CHECKBOX).map((f) => {
          const problem = problems[f.key];
          const hintId = `setting-${f.key}-hint`;
          return (
            <label key={f.key}>
              <span class="label-text">
                {f.label}
                {f.unit && <span class="unit"> ({f.unit})</span>}
              </span>
              <input
                name={f.key}
                type={f.key === "jv_start_date" ? "date" : "number"}
                step={f.key === "luaf_tolerance_percent" ? "0.01" : "1"}
                inputMode={f.key === "jv_start_date" ? undefined : "decimal"}
                value={fixed(f.key) ? asText(current)[f.key] : text[f.key]}
                aria-invalid={problem ? "true" : undefined}
                aria-describedby={fixed(f.key) ? `${hintId} contract-day-fixed` : hintId}
                readOnly={fixed(f.key)}
                onInput={(e) => typed(f.key, e.currentTarget.value)}
              />
              <span id={hintId} class={problem ? "hint hint-critical" : "hint"} data-testid={`${f.key}-hint`}>
                {fixed(f.key) ? "Fixed: a day is closed." : problem ? `${f.label} ${problem}.` : f.help}
              </span>
            </label>
          );
        })}
      </div>
      <label class="inline checkbox">
        <input
          type="checkbox"
          name={CHECKBOX}
          checked={text[CHECKBOX] === "true"}
          aria-describedby={`setting-${CHECKBOX}-hint`}
          onChange={(e) => typed(CHECKBOX, String(e.currentTarget.checked))}
        />
        Partners see a new version only after another coordinator or an admin releases it
      </label>
      <p id={`setting-${CHECKBOX}-hint`} class="hint">{FIELDS.find((f) => f.key === CHECKBOX)?.help}</p>
      <div class="form-actions">
        <button type="submit" disabled={busy || invalid || changed.length === 0}>{busy ? "Saving…" : "Save settings"}</button>
        {changed.length > 0 && !invalid && <span class="muted" data-testid="changing">Changing: {changed.map(settingLabel).join(", ")}</span>}
      </div>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
    </form>
  );
}

/**
 * The admin's form, told whether a day is closed (closed_days is readable by every role): the
 * contract day's fields are then read-only, with the reason setJvSettings would refuse them for,
 * which stays the safety net while the read is under way or fails.
 */
function ChangeCard({ current }: { current: JvSettings }) {
  const closed = useLiveQuery(closedDaysSince("0000-01-01", 1), "first-closed-day");
  const closedDay = closed.value.docs[0]?.id;
  return (
    <Card title="Change">
      {closedDay ? (
        <p class="alert alert-info" id="contract-day-fixed" data-testid="contract-day-fixed">
          The contract day cannot change: day {closedDay} is already closed, and closed days are named by the contract day they were closed under. The start hour and UTC offset are shown read-only.
        </p>
      ) : (
        <p class="muted small-text">The contract day (start hour and offset) cannot change once any day is closed.</p>
      )}
      {closed.value.error && <p class="muted small-text" data-testid="closed-days-unread">Whether a day is closed could not be read ({closed.value.error}); saving a contract-day change is refused if one is.</p>}
      <p class="muted small-text">Each change is an audit event.</p>
      <SettingsForm current={current} closedDay={closedDay} />
    </Card>
  );
}

/** settings/jv for every role (the rules let each read it); admins change it through setJvSettings. */
export function SettingsScreen() {
  const user = requireUser();
  const live = useLiveDoc<StoredSettings>(JV_SETTINGS_PATH);
  const stored = live.value.docs;
  const { settings, defaulted } = resolveJvSettings(stored);
  return (
    <Page title="JV settings" intro="What the joint venture negotiated: when a contract day starts, the loss band a reconciliation may show without an acknowledgement, and whether partners see a new version only once it is released. An absent setting takes its default.">
      {live.value.error && <p class="error" role="alert">{live.value.error}</p>}
      {/* Unread settings are not the defaults: neither shown as current nor offered to change. */}
      {live.value.loading ? (
        <p class="muted" aria-busy="true">Loading…</p>
      ) : live.value.error ? null : (
        <>
          <Card title="Current settings">
            <dl class="factors" data-testid="settings">
              {FIELDS.map((f) => (
                <div key={f.key} data-setting={f.key} data-default={defaulted.includes(f.key) ? "true" : "false"}>
                  <dt>{f.label}</dt>
                  <dd>
                    <span data-testid={`setting-${f.key}`}>{f.show(settings)}</span>
                    {defaulted.includes(f.key) && <span class="muted"> (default)</span>}
                  </dd>
                </div>
              ))}
            </dl>
            <p data-testid="contract-day">
              A contract day starts at <strong>{contractDayText(settings)}</strong> and is named by the date on which it starts.
            </p>
            <p class="meta">{stored?.updated_at ? <>Last changed {dateTime(stored.updated_at)} by <PersonName uid={stored.updated_by} />.</> : "Never changed: every value is a default."}</p>
          </Card>
          {user.role === "admin" && <ChangeCard current={settings} />}
        </>
      )}
    </Page>
  );
}
