import { expect } from "chai";
import { type DocumentReference } from "firebase-admin/firestore";
import { EVIDENCE_POINTERS, evidenceFor, verifyReconciliation } from "../../src/agents/accountant/verify";
import { verifyReportEvidence } from "../../src/domain/report-verification";
import { InputsDigest, integrityHash, REPORT_HASH_V1 } from "../../src/domain/report-hash";
import { toPlain } from "../../src/shared/timestamps";
import { adminDb, callFunction, uniqueId, type TestUser } from "../support/emulator";
import { reconciledStatement, type StatementWorld } from "../support/statement-world";
import { manifestRowsGzip, manifestRowsOf } from "../../src/agents/accountant/manifest";

type Plain = Record<string, unknown>;

/** Every leaf of a plain value, as [path segments, value]; Dates and empty containers are leaves. */
function leaves(value: unknown, path: Array<string | number> = []): Array<[Array<string | number>, unknown]> {
  if (Array.isArray(value) && value.length > 0) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === "object" && !(value instanceof Date) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [[path, value]];
}

function withLeaf(root: Plain, path: Array<string | number>, value: unknown): Plain {
  const copy = structuredClone(root);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

/** A plausible wrong value of the same type (the smallest step for a figure). */
function tampered(path: Array<string | number>, value: unknown): unknown {
  const key = String(path[path.length - 1]);
  if (key === "hash_scheme") return REPORT_HASH_V1; // a downgrade to the untyped scheme
  if (typeof value === "number")
    return Number.isInteger(value) && !/bbl|percent|factor|ctl|cpl|csw|api/.test(key) ? value + 1 : Math.round((value + 0.01) * 1e5) / 1e5;
  if (typeof value === "string") return key === "status" ? "superseded" : `${value}x`;
  if (value instanceof Date) return new Date(value.getTime() + 86_400_000);
  if (typeof value === "boolean") return !value;
  return "tampered";
}

const dotted = (path: Array<string | number>) => path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

/** The check that must name a tampered leaf, besides the anchor that catches every hashed one. */
function namedCheck(path: Array<string | number>, original: Plain): string {
  const [head, second] = path;
  const p = dotted(path);
  if (head === "allocations") {
    // Which partners were active is not evidence the verifier holds: a zero line's id and any line's flag only the anchor binds.
    const zero = (original.allocations as Plain[])[second as number]!.entries === 0;
    if (path[2] === "partner_name" || (path[2] === "partner_active" && !zero) || (path[2] === "partner_id" && zero))
      return "audit_anchor.integrity_hash";
    return p;
  }
  if (head === "exclusions") return second === "rows" ? "exclusions.rows" : "exclusions";
  if (head === "settings") {
    if (second === "luaf_tolerance_percent") return "luaf";
    return second === "jv_start_date" ? "content_digest" : "closed_days";
  }
  if (head === "luaf") return second === "acknowledgement" ? "luaf.acknowledgement" : "luaf";
  if (head === "supersedes_receipt") return "audit_anchor.supersedes_receipt";
  if (["prior_period_adjustments", "net_positions", "content_digest"].includes(String(head))) return String(head);
  if (head === "totals" && second === "entries_excluded") return "totals.entries_excluded";
  if (head === "totals" || head === "terminal") return p;
  if (head === "terminal_inputs") return `receipt.${String(second)}`;
  if (head === "terminal_name") return "receipt.terminal_name";
  if (head === "excluded") return "excluded"; // the preview against the exclusion chunks
  if (head === "closed_days") return "closed_days";
  if (head === "manifest") return second === "rows" ? "manifest.rows" : "manifest";
  if (head === "version" || head === "supersedes") return `audit_anchor.${head}`;
  if (head === "status" || head === "superseded_by") return head;
  // The release fields, outside the hash: checked against the anchor and the release event (or their absence).
  if (head === "release_required") return "release.required";
  if (["released", "released_by", "released_at", "release_note"].includes(String(head))) return "release";
  if (["period_start", "period_end", "method", "inputs_digest", "exclusions_digest", "changes_from_previous"].includes(String(head)))
    return String(head);
  if (head === "hash_scheme") return "inputs_digest";
  return "audit_anchor.integrity_hash";
}

const failedChecks = (report: { checks: Array<{ check: string; ok: boolean }> }) => report.checks.filter((c) => !c.ok).map((c) => c.check);

describe("verifyReconciliation: anchored and complete (tampering one stored value at a time)", function () {
  this.timeout(300_000);
  let world: StatementWorld;
  let ref: DocumentReference;
  let original: Plain;

  before(async () => {
    world = await reconciledStatement();
    ref = adminDb().doc(`reconciliations/${world.reconciliationId}`);
    original = toPlain((await ref.get()).data()) as Plain;
  });

  afterEach(async () => {
    await ref.set(original);
  });

  it("passes the untouched report through the callable, naming what it checked", async () => {
    const { result, error } = await callFunction<{
      ok: boolean;
      hash_scheme: string;
      checks: Array<{ check: string; ok: boolean; note?: string }>;
    }>("verifyReconciliation", { reconciliation_id: world.reconciliationId }, { uid: uniqueId("auditor"), role: "auditor" });
    expect(error, JSON.stringify(error)).to.equal(undefined);
    expect(
      result!.checks.filter((c) => !c.ok),
      JSON.stringify(result!.checks.filter((c) => !c.ok)),
    ).to.deep.equal([]);
    expect(result!.ok).to.equal(true);
    expect(result!.hash_scheme).to.equal("flowshare/report-hash/v2");
    expect(result!.checks.map((c) => c.check)).to.include.members([
      "integrity_hash",
      "audit_anchor.integrity_hash",
      "audit_chain",
      "receipt.gross_volume_bbl",
      "terminal.ctl",
      "manifest.entry_nsv",
      "inputs_digest",
      "allocations[0].allocated_bbl",
      "totals.shrinkage_percent",
      "exclusions_digest",
      "closed_days",
    ]);
    expect(result!.checks.find((c) => c.check === "manifest.entry_nsv")!.note).to.equal(
      "4 entry NSVs re-derived from their measured inputs",
    );
  });

  it("anchors the report: the audit event holds its integrity hash and inputs digest", async () => {
    const event = await adminDb().doc(`audit_log/reconcile_${world.reconciliationId}`).get();
    expect(event.get("details")).to.include({
      integrity_hash: original.integrity_hash,
      inputs_digest: original.inputs_digest,
      hash_scheme: "flowshare/report-hash/v2",
    });
  });

  it("catches and names every leaf of the report changed with its hash recomputed", async () => {
    const table = leaves(original).filter(([path]) => path[0] !== "integrity_hash");
    // Reusing the evidence is sound only while evidenceFor follows no other field of the report.
    const followed = new Set<string | symbol>();
    const watched = new Proxy(original, {
      get: (target, key) => {
        followed.add(key);
        return Reflect.get(target, key);
      },
    });
    const stored = await evidenceFor(adminDb(), world.reconciliationId, watched);
    const pointers = new Set<unknown>(EVIDENCE_POINTERS);
    expect([...followed].filter((key) => !pointers.has(key))).to.deep.equal([]);
    expect(table.length).to.be.greaterThan(60);
    const missed: string[] = [];
    for (const [path, value] of table) {
      const edited = withLeaf(original, path, tampered(path, value));
      edited.integrity_hash = integrityHash(edited);
      // The report as if stored so (each leaf is a value Firestore keeps as it is), with what it
      // names read from the store: no write, so no trigger fires a hundred times behind the test.
      // Evidence is read again only for a leaf that names other documents: in an emulator holding
      // the earlier suites' audit events, every read of the receipt's chain scans all of them.
      const evidence = pointers.has(path[0]) ? await evidenceFor(adminDb(), world.reconciliationId, edited) : { ...stored, report: edited };
      const report = verifyReportEvidence(evidence);
      const failed = failedChecks(report);
      const lifecycle = ["status", "superseded_by", "release_required", "released", "released_by", "released_at", "release_note"].includes(
        String(path[0]),
      );
      // Another receipt id points the verifier at another receipt and another chain.
      const expected =
        path[0] === "terminal_receipt_id"
          ? ["receipt", "audit_anchor.event"]
          : [namedCheck(path, original), ...(lifecycle ? [] : ["audit_anchor.integrity_hash"])];
      if (report.ok || !expected.every((name) => failed.includes(name)))
        missed.push(`${dotted(path)}: expected ${expected.join(", ")}; failed ${failed.join(", ") || "nothing"}`);
    }
    console.log(`      tampered ${table.length} report leaves one at a time`);
    expect(missed, missed.join("\n")).to.deep.equal([]);
  });

  it("catches and names every field of every manifest row", async () => {
    const chunks = await adminDb().collection(`reconciliations/${world.reconciliationId}/inputs`).get();
    const chunk = chunks.docs[0]!;
    const rows = manifestRowsOf(chunk.id, chunk.data()) as unknown as Plain[];
    const missed: string[] = [];
    let cases = 0;
    for (const [i, row] of rows.entries()) {
      for (const [field, value] of Object.entries(row)) {
        cases += 1;
        const edited = rows.map((r, j) => (j === i ? { ...r, [field]: tampered([field], value) } : r));
        await chunk.ref.update(await manifestRowsGzip(edited));
        const failed = failedChecks((await verifyReconciliation(adminDb(), world.reconciliationId))!);
        const expected = ["inputs_digest", ...(field === "nsv_bbl" ? ["manifest.entry_nsv"] : [])];
        if (!expected.every((name) => failed.includes(name)))
          missed.push(`rows[${i}].${field}: expected ${expected.join(", ")}; failed ${failed.join(", ") || "nothing"}`);
      }
    }
    await chunk.ref.update(await manifestRowsGzip(rows));
    console.log(`      tampered ${cases} manifest fields one at a time`);
    expect(cases).to.equal(rows.length * 9);
    expect(missed).to.deep.equal([]);
  });

  it("catches the whole-report forgery: figures, a name, the period and factors edited, the hash recomputed", async () => {
    const edited = structuredClone(original) as Plain & { totals: Plain; allocations: Plain[]; terminal: Plain };
    edited.totals.shrinkage_bbl = 0;
    edited.totals.field_gross_bbl = (edited.totals.field_gross_bbl as number) + 100;
    edited.allocations[0]!.share_percent = 50;
    edited.allocations[1]!.partner_name = "Someone Else";
    edited.period_end = new Date((original.period_end as Date).getTime() + 86_400_000);
    edited.excluded = [];
    edited.terminal.ctl = 1;
    edited.terminal.csw = 1;
    edited.integrity_hash = integrityHash(edited);
    await ref.set(edited);
    const failed = failedChecks((await verifyReconciliation(adminDb(), world.reconciliationId))!);
    expect(failed).to.include.members([
      "audit_anchor.integrity_hash",
      "totals.shrinkage_bbl",
      "totals.field_gross_bbl",
      "allocations[0].share_percent",
      "period_end",
      "excluded",
      "terminal.ctl",
      "terminal.csw",
    ]);
  });

  it("catches 100 bbl moved between partners in the manifest with digest, allocations and hash recomputed", async () => {
    const chunk = (await adminDb().collection(`reconciliations/${world.reconciliationId}/inputs`).get()).docs[0]!;
    const rows = manifestRowsOf(chunk.id, chunk.data()) as unknown as Array<Plain & { nsv_bbl: number; partner_id: string }>;
    const moved = rows.map((r, i) =>
      i === 0
        ? { ...r, nsv_bbl: Math.round((r.nsv_bbl - 100) * 100) / 100 }
        : i === rows.length - 1
          ? { ...r, nsv_bbl: Math.round((r.nsv_bbl + 100) * 100) / 100 }
          : r,
    );
    await chunk.ref.update(await manifestRowsGzip(moved));
    const digest = new InputsDigest(2);
    for (const r of moved) digest.addRow(r as never);
    const edited = structuredClone(original) as Plain & { allocations: Array<Plain & { nsv_bbl: number; partner_id: string }> };
    edited.inputs_digest = digest.setReceipt(original.terminal_inputs as never).digest();
    for (const a of edited.allocations) {
      if (a.partner_id === rows[0]!.partner_id) a.nsv_bbl = Math.round((a.nsv_bbl - 100) * 100) / 100;
      if (a.partner_id === rows[rows.length - 1]!.partner_id) a.nsv_bbl = Math.round((a.nsv_bbl + 100) * 100) / 100;
    }
    edited.integrity_hash = integrityHash(edited);
    await ref.set(edited);
    try {
      const report = (await verifyReconciliation(adminDb(), world.reconciliationId))!;
      const failed = failedChecks(report);
      expect(failed).to.include.members(["audit_anchor.integrity_hash", "audit_anchor.inputs_digest", "manifest.entry_nsv"]);
      expect(failed).to.not.include("inputs_digest");
    } finally {
      await chunk.ref.update(await manifestRowsGzip(rows));
    }
  });

  it("tells a partner which checks a tampered entry of another partner fails, without that entry's id or figures", async () => {
    const chunk = (await adminDb().collection(`reconciliations/${world.reconciliationId}/inputs`).get()).docs[0]!;
    const rows = manifestRowsOf(chunk.id, chunk.data()) as unknown as Array<
      Plain & { entry_id: string; nsv_bbl: number; partner_id: string }
    >;
    const [alpha, bravo] = world.partners;
    const target = rows.findIndex((r) => r.partner_id === bravo);
    const own = rows.find((r) => r.partner_id === alpha)!;
    const edited = rows.map((r, i) => (i === target ? { ...r, nsv_bbl: Math.round((r.nsv_bbl + 5) * 100) / 100 } : r));
    await chunk.ref.update(await manifestRowsGzip(edited));
    type Verification = { ok: boolean; checks: Array<{ check: string; ok: boolean; stored?: unknown; recomputed?: unknown }> };
    const verify = (caller: TestUser) =>
      callFunction<Verification>("verifyReconciliation", { reconciliation_id: world.reconciliationId }, caller);
    try {
      const asPartner = await verify({ uid: uniqueId("partner"), role: "jv_partner", partner_id: alpha });
      const asCoordinator = await verify(world.coordinator);
      expect(asPartner.error).to.equal(undefined);
      expect(failedChecks(asPartner.result!)).to.deep.equal(failedChecks(asCoordinator.result!));
      expect(failedChecks(asPartner.result!)).to.include.members(["inputs_digest", "manifest.entry_nsv"]);
      const nsv = (r: Verification) => r.checks.find((c) => c.check === "manifest.entry_nsv")!;
      expect(JSON.stringify(nsv(asCoordinator.result!))).to.include(rows[target]!.entry_id);
      expect(nsv(asPartner.result!).stored).to.deep.equal(["(an entry of another partner)"]);
      expect(JSON.stringify(asPartner.result)).not.to.include(rows[target]!.entry_id);
      // The partner's own entries stay named where a check names them.
      const ownEdit = edited.map((r) => (r.entry_id === own.entry_id ? { ...r, nsv_bbl: Math.round((r.nsv_bbl + 5) * 100) / 100 } : r));
      await chunk.ref.update(await manifestRowsGzip(ownEdit));
      const both = await verify({ uid: uniqueId("partner"), role: "jv_partner", partner_id: alpha });
      expect(nsv(both.result!).stored).to.deep.include({ entry_id: own.entry_id, nsv_bbl: Math.round((own.nsv_bbl + 5) * 100) / 100 });
      expect(JSON.stringify(both.result)).not.to.include(rows[target]!.entry_id);
    } finally {
      await chunk.ref.update(await manifestRowsGzip(rows));
    }
  });

  it("flags a receipt changed since the reconciliation, and an edited audit event", async () => {
    const receipt = adminDb().doc(`terminal_receipts/${world.receiptId}`);
    await receipt.update({ gross_volume_bbl: 4286 });
    const failed = failedChecks((await verifyReconciliation(adminDb(), world.reconciliationId))!);
    await receipt.update({ gross_volume_bbl: 4285 });
    expect(failed).to.deep.equal(["receipt.gross_volume_bbl"]);
    // The terminal every statement names is the report's, bound by its hash and checked against the receipt.
    expect(original.terminal_name).to.equal("Test terminal");
    await receipt.update({ terminal_name: "Bayport Storage (not Port Ellery)" });
    const renamed = failedChecks((await verifyReconciliation(adminDb(), world.reconciliationId))!);
    await receipt.update({ terminal_name: "Test terminal" });
    expect(renamed).to.deep.equal(["receipt.terminal_name"]);

    const event = adminDb().doc(`audit_log/reconcile_${world.reconciliationId}`);
    const created = (await event.get()).get("details.adjustments_created");
    await event.update({ "details.adjustments_created": ["forged"] });
    const broken = (await verifyReconciliation(adminDb(), world.reconciliationId))!;
    await event.update({ "details.adjustments_created": created });
    expect(failedChecks(broken)).to.deep.equal(["audit_chain"]);
    expect(broken.checks.find((c) => c.check === "audit_chain")!)
      .to.have.property("note")
      .that.matches(/was edited/);
  });

  it("fails a current version made to look replaced by another receipt's version that does not exist, its days repointed at it", async () => {
    const days = (original.closed_days as string[]).map((d) => adminDb().doc(`closed_days/${d}`));
    const held = await Promise.all(days.map(async (d) => (await d.get()).data()!));
    const ghost = `${world.receiptId}-ghost_v1`;
    await ref.update({ status: "superseded", superseded_by: ghost });
    await Promise.all(days.map((d) => d.update({ reconciliation_id: ghost })));
    const verdict = (await verifyReconciliation(adminDb(), world.reconciliationId))!;
    await Promise.all(days.map((d, i) => d.set(held[i]!)));
    // Made now, its anchor promises a replacement's event in this chain, and the chain holds none.
    expect(failedChecks(verdict)).to.deep.equal(["superseded_by"]);
    expect(verdict.checks.find((c) => c.check === "superseded_by")?.note).to.contain(`${ghost} names no reconciliation`);
  });
});
