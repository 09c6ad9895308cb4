import { useState } from "preact/hooks";
import { exportStatement, type StatementFormat } from "../../data/callables";
import { errorMessage } from "../../format";
import { Alert } from "../../ui/common";

const FORMATS: { format: StatementFormat; label: string }[] = [
  { format: "pdf", label: "PDF" },
  { format: "csv", label: "CSV" },
  { format: "json", label: "Verification bundle" },
];

/**
 * Downloads the statement from exportStatement: the whole JV's, or one partner's (a partner's
 * own, whatever it asks: the function decides). The file's sha256 is shown so that a partner can
 * match it against what it files.
 */
export function ExportButtons({ id, partnerId }: { id: string; partnerId?: string }) {
  const [busy, setBusy] = useState<StatementFormat>();
  const [done, setDone] = useState<{ filename: string; sha256: string }>();
  const [error, setError] = useState<string>();
  const download = async (format: StatementFormat) => {
    setBusy(format);
    setError(undefined);
    setDone(undefined);
    try {
      const file = await exportStatement({ reconciliation_id: id, format, ...(partnerId ? { partner_id: partnerId } : {}) });
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: file.content_type }));
      const link = document.createElement("a");
      link.href = url;
      link.download = file.filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDone({ filename: file.filename, sha256: file.sha256 });
    } catch (e) {
      setError(`Could not export: ${errorMessage(e)}`);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div class="export" data-testid="export">
      {FORMATS.map(({ format, label }) => (
        <button key={format} type="button" class="secondary" onClick={() => download(format)} disabled={busy !== undefined}>
          {busy === format ? "Preparing…" : label}
        </button>
      ))}
      {done && (
        <p class="muted small-text" data-testid="export-done">
          Downloaded {done.filename} · sha256 <code>{done.sha256}</code>
        </p>
      )}
      {error && <Alert kind="error">{error}</Alert>}
    </div>
  );
}
