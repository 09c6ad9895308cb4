/** How the web app names entries and accounts where users read names, not document ids or uids. */
import { expect } from "chai";
import { entryLabel } from "../../../web/src/domain/entry-label";
import { raisedBy, reportIdParts, reportInWords, statementLabel } from "../../../web/src/domain/statement-label";
import { agentName, systemActor, unnamedAccount } from "../../../web/src/domain/account-label";
import { documentInWords, documentKind, documentOf } from "../../../web/src/domain/document-label";
import { REASON_TITLES, reasonTitle } from "../../../web/src/domain/reason-code";
import { auditActionInWords, auditSubject } from "../../../web/src/domain/audit-event";
import { notificationKind } from "../../../web/src/domain/notification-label";
import { RULE_CODES } from "../../src/domain/audit-rules";

describe("web names", () => {
  it("names an entry by its meter and contract day", () => {
    expect(entryLabel({ meter_id: "NWE-LACT-01" }, "2026-11-04")).to.equal("NWE-LACT-01 on 2026-11-04");
    expect(entryLabel({ meter_id: "  NWE LACT 02 " }, "2026-11-04")).to.equal("NWE LACT 02 on 2026-11-04");
    expect(entryLabel({ meter_id: null }, "2026-11-04")).to.equal("Entry of 2026-11-04");
    expect(entryLabel({}, "2026-11-04")).to.equal("Entry of 2026-11-04");
  });

  it("names a statement by its period, receipt and version, and reads the receipt and version from a report id", () => {
    expect(statementLabel("2026-09-01 – 2026-10-30 (60 days)", "pet-20260901-20261030", 2)).to.equal(
      "2026-09-01 – 2026-10-30 (60 days) · receipt pet-20260901-20261030 · version 2",
    );
    expect(statementLabel(undefined, "R-2026-09-A", 1)).to.equal("receipt R-2026-09-A · version 1");
    expect(reportIdParts("R-2026-09-A_v2")).to.deep.equal({ receiptId: "R-2026-09-A", version: 2 });
    expect(reportIdParts("pet_v1_v12")).to.deep.equal({ receiptId: "pet_v1", version: 12 });
    expect(reportInWords("pet_v1_v12")).to.equal("version 12 of receipt pet_v1");
    expect(reportInWords("not-a-version")).to.equal("not-a-version");
    // The version that raised an adjustment, named from the adjustment without reading the version.
    const start = new Date("2026-09-01T00:00:00Z");
    const end = new Date("2026-09-03T00:00:00Z");
    expect(raisedBy({ from_reconciliation_id: "R-9_v3", terminal_receipt_id: "R-9", period_start: start, period_end: end })).to.deep.equal({
      terminal_receipt_id: "R-9",
      version: 3,
      period_start: start,
      period_end: end,
    });
    expect(raisedBy({ from_reconciliation_id: "R-9_v3", terminal_receipt_id: "R-8" })).to.equal(undefined);
    expect(reportIdParts("R-2026-09-A")).to.equal(undefined);
    expect(reportIdParts("R_v0")).to.equal(undefined);
  });

  it("says what a writer without a name is: a gateway key, an agent, an email, or an account", () => {
    expect(systemActor("api_key:key_e78b83bb365cbd1ee0de")).to.equal("gateway key key_e78b83bb365cbd1ee0de");
    expect(systemActor("auditor")).to.equal("the auditor agent");
    expect([agentName("auditor"), agentName("accountant"), agentName("admin")]).to.deep.equal([
      "Auditor (entries)",
      "Accountant (reconciliations)",
      "Admin (roles, settings and keys)",
    ]);
    expect(agentName("a-new-agent")).to.equal("a-new-agent");
    expect(systemActor("communicator")).to.equal("the communicator agent");
    expect(systemActor("toString")).to.equal(undefined);
    expect(systemActor("demo-admin")).to.equal(undefined);
    expect(unnamedAccount("api_key:k1", { profile: false })).to.equal("gateway key k1");
    expect(unnamedAccount("u1", { profile: true, email: "ops@example.com" })).to.equal("ops@example.com");
    expect(unnamedAccount("u1", { profile: true, email: null })).to.equal("an account without a name");
    expect(unnamedAccount("u1", { profile: false })).to.equal("an account not in the user list");
  });

  it("says what kind a notification is in words on its badge, not its type key", () => {
    const written = [
      "reconciliation_completed",
      "allocation_statement",
      "reconciliation_stale",
      "entry_flagged",
      "entry_rejected",
      "entry_reviewed",
      "entry_corrected",
      "entry_entered_late",
      "reconciliation_released",
      "statement_exception_raised",
      "statement_exception_answered",
      "statement_exception_corrected",
    ];
    expect(written.map(notificationKind)).to.deep.equal([
      "Reconciliation",
      "Allocation statement",
      "Stale statement",
      "Flagged entry",
      "Rejected entry",
      "Review decision",
      "Corrected entry",
      "Late entry",
      "Released to partners",
      "Exception raised",
      "Exception answered",
      "Exception corrected",
    ]);
    expect(notificationKind("adjustment_pending"), "a type this app does not know yet").to.equal("Adjustment pending");
    expect(notificationKind("toString")).to.equal("ToString");
    expect(notificationKind("")).to.equal("Notification");
  });

  it("says what a document is instead of quoting its path", () => {
    expect(documentInWords("production_entries/kkJ2koDIM4TI1PzAlYQq")).to.equal("this entry");
    expect(documentInWords("reconciliations/pet-20260901-20261030_v1")).to.equal("this statement");
    expect(documentInWords("settings/jv")).to.equal("the JV settings");
    expect(documentInWords("reconciliations/r_v1/exclusions/e1")).to.equal("this record");
    expect(documentInWords("toString/x")).to.equal("this record");
    expect(documentKind("api_keys/key_24eeb0072636925fced6")).to.equal("API key");
    expect(documentOf("users/demo-operator-sable")).to.deep.equal({ collection: "users", id: "demo-operator-sable" });
    expect(documentOf("settings")).to.deep.equal({ collection: "settings", id: "" });
  });

  it("names every auditor reason in words, the code kept for support", () => {
    for (const code of Object.values(RULE_CODES)) expect(Object.keys(REASON_TITLES), code).to.include(code);
    expect(reasonTitle("BSW_ABOVE_TYPICAL")).to.equal("BS&W above typical");
    expect(reasonTitle("TEMPERATURE_OUT_OF_RANGE")).to.equal("Temperature out of range");
    expect(reasonTitle("API_GRAVITY_NEW_CHECK")).to.equal("API gravity new check");
    expect(reasonTitle("")).to.equal("");
  });

  it("says an audit event's action in words", () => {
    expect(auditActionInWords("api_key_created")).to.equal("API key created");
    expect(auditActionInWords("user_role_set")).to.equal("Role set");
    expect(auditActionInWords("reconciliation_released")).to.equal("Statement released");
    expect(auditActionInWords("jv_settings_restored")).to.equal("JV settings restored");
    expect(auditActionInWords("statement_exception_corrected")).to.equal("Exception corrected");
    expect(auditActionInWords("constructor")).to.equal("Constructor");
  });

  it("reads an audit event's subject into what names it, not its path", () => {
    expect(auditSubject("production_entries/kkJ2koDIM4TI1PzAlYQq")).to.deep.equal({ kind: "entry", id: "kkJ2koDIM4TI1PzAlYQq" });
    expect(auditSubject("users/demo-operator-sable")).to.deep.equal({ kind: "account", uid: "demo-operator-sable" });
    expect(auditSubject("reconciliations/pet-20260901-20261030_v1")).to.deep.equal({ kind: "statement", id: "pet-20260901-20261030_v1" });
    expect(auditSubject("prior_period_adjustments/pet-20260901-20261030_v2_northwind")).to.deep.equal({
      kind: "adjustment",
      id: "pet-20260901-20261030_v2_northwind",
    });
    expect(auditSubject("api_keys/key_24eeb0072636925fced6")).to.deep.equal({
      kind: "document",
      label: "API key",
      id: "key_24eeb0072636925fced6",
    });
    expect(auditSubject("settings/jv")).to.deep.equal({ kind: "jv-settings" });
    expect(auditSubject(undefined)).to.deep.equal({ kind: "none" });
    expect(auditSubject("")).to.deep.equal({ kind: "none" });
    // What the app does not name, or a record inside another, is shown as it is.
    for (const path of ["toString/x", "settings/other", "reconciliations/r_v1/exclusions/e1", "production_entries"]) {
      expect(auditSubject(path), path).to.deep.equal({ kind: "path", path });
    }
  });
});
