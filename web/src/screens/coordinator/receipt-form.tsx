import { doc, serverTimestamp, setDoc, Timestamp } from "firebase/firestore";
import { useState } from "preact/hooks";
import { firebase } from "../../data/firebase";
import { requireUser } from "../../data/session";
import { errorMessage } from "../../format";
import { href } from "../../router";
import { Alert } from "../../ui/common";

const FIELDS = [
  { key: "gross_volume_bbl", label: "Gross volume", unit: "bbl", step: "0.01", required: true },
  { key: "bsw_percent", label: "BS&W", unit: "%", step: "0.01", required: true },
  { key: "temperature_degF", label: "Temperature", unit: "°F", step: "0.1", required: true },
  { key: "api_gravity", label: "API gravity", unit: "°API", step: "0.1", required: true },
  { key: "pressure_psig", label: "Pressure", unit: "psig", step: "1", required: false },
  { key: "meter_factor", label: "Meter factor", unit: "", step: "0.0001", required: false },
] as const;

type Key = (typeof FIELDS)[number]["key"] | "id" | "start" | "last" | "terminal_name";

/**
 * A coordinator enters what the terminal measured for a period (first and last day, UTC; the
 * period ends at the midnight after the last day). Receipts are never edited: a wrong one is
 * replaced by a new receipt (firestore.rules).
 */
export function ReceiptForm() {
  const user = requireUser();
  const [v, setV] = useState<Record<Key, string>>({ id: "", start: "", last: "", terminal_name: "", gross_volume_bbl: "", bsw_percent: "", temperature_degF: "", api_gravity: "", pressure_psig: "", meter_factor: "" });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string; id?: string }>();
  const set = (key: Key) => (e: Event) => setV({ ...v, [key]: (e.currentTarget as HTMLInputElement).value });
  const submit = async (event: Event) => {
    event.preventDefault();
    setMessage(undefined);
    const id = v.id.trim();
    const start = new Date(`${v.start}T00:00:00Z`);
    const end = new Date(new Date(`${v.last}T00:00:00Z`).getTime() + 86_400_000);
    if (!(start < end)) {
      setMessage({ kind: "error", text: "The last day must not be before the first day." });
      return;
    }
    setBusy(true);
    try {
      await setDoc(doc(firebase().db, "terminal_receipts", id), {
        period_start: Timestamp.fromDate(start),
        period_end: Timestamp.fromDate(end),
        ...(v.terminal_name.trim() ? { terminal_name: v.terminal_name.trim() } : {}),
        gross_volume_bbl: Number(v.gross_volume_bbl),
        bsw_percent: Number(v.bsw_percent),
        temperature_degF: Number(v.temperature_degF),
        api_gravity: Number(v.api_gravity),
        ...(v.pressure_psig.trim() === "" ? {} : { pressure_psig: Number(v.pressure_psig) }),
        ...(v.meter_factor.trim() === "" ? {} : { meter_factor: Number(v.meter_factor) }),
        created_by: user.uid,
        created_at: serverTimestamp(),
      });
      setMessage({ kind: "ok", text: `Terminal receipt ${id} saved.`, id });
    } catch (e) {
      const denied = (e as { code?: string }).code === "permission-denied";
      setMessage({ kind: "error", text: denied ? `Refused by the security rules (an existing receipt id is never overwritten; figures must be valid): ${errorMessage(e)}` : `Not saved: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="receipt-form" onSubmit={submit} aria-label="New terminal receipt">
      <div class="grid-3">
        <label>
          <span class="label-text">Receipt id</span>
          <input name="id" required pattern="[A-Za-z0-9][A-Za-z0-9_.-]{0,99}" placeholder="pet-20261031" value={v.id} onInput={set("id")} />
        </label>
        <label>
          <span class="label-text">First day (UTC)</span>
          <input name="start" type="date" required value={v.start} onInput={set("start")} />
        </label>
        <label>
          <span class="label-text">Last day (UTC)</span>
          <input name="last" type="date" required value={v.last} onInput={set("last")} />
        </label>
        <label>
          <span class="label-text">Terminal<span class="optional"> optional</span></span>
          <input name="terminal_name" maxLength={128} value={v.terminal_name} onInput={set("terminal_name")} />
        </label>
        {FIELDS.map((f) => (
          <label key={f.key}>
            <span class="label-text">
              {f.label}
              {f.unit && <span class="unit"> ({f.unit})</span>}
              {!f.required && <span class="optional"> optional</span>}
            </span>
            <input name={f.key} type="number" inputMode="decimal" step={f.step} required={f.required} value={v[f.key]} onInput={set(f.key)} />
          </label>
        ))}
      </div>
      <div class="form-actions">
        <button type="submit" disabled={busy}>{busy ? "Saving…" : "Save receipt"}</button>
      </div>
      {message && (
        <Alert kind={message.kind}>
          {message.text} {message.id && <a href={href("receipts", message.id)}>Open it to reconcile</a>}
        </Alert>
      )}
    </form>
  );
}
