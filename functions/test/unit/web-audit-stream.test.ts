/** How the audit-log screen names the chains an auditor picks from. */
import { expect } from "chai";
import { groupStreams, streamInWords } from "../../../web/src/domain/audit-stream";
import { entryAuditStream, UNKNOWN_ENTRY_STREAM } from "../../src/shared/entry-stream";
import { PARTNERS_STREAM } from "../../src/agents/admin/set-partner";

describe("web audit-log chains in words", () => {
  const names: Record<string, string> = { alpha_energy: "Alpha Energy" };
  const partnerName = (id: string) => names[id];

  it("names each stream the functions append to by what it records", () => {
    expect(streamInWords("agent_admin")).to.deep.equal({ group: "Administration", label: "Roles and API keys" });
    expect(streamInWords("settings_jv").label).to.equal("JV settings");
    expect(streamInWords(PARTNERS_STREAM)).to.deep.equal({
      group: "Administration",
      label: "Partners: added, renamed, deactivated, left or rejoined",
    });
    expect(streamInWords("prior_period_adjustments").label).to.equal("Prior-period adjustment decisions");
    expect(streamInWords(entryAuditStream("alpha_energy"), partnerName)).to.deep.equal({
      group: "Production entries",
      label: "Alpha Energy: audits, reviews and entry notices",
    });
    expect(streamInWords(entryAuditStream("gamma"), partnerName).label, "a partner not read").to.equal(
      "gamma: audits, reviews and entry notices",
    );
    expect(streamInWords(entryAuditStream("a/b")).label).to.equal("Entries whose partner could not be read");
    expect(streamInWords(UNKNOWN_ENTRY_STREAM).group).to.equal("Production entries");
    expect(streamInWords("receipt_pet-20260901-20261030")).to.deep.equal({
      group: "Terminal receipts",
      label: "Receipt pet-20260901-20261030: reconciliations and releases",
    });
    expect(streamInWords("notify_receipt_pet-20260901-20261030")).to.deep.equal({
      group: "Notifications",
      label: "Receipt pet-20260901-20261030: notices sent",
    });
    expect(streamInWords("something_new")).to.deep.equal({ group: "Other", label: "something_new" });
    expect(streamInWords("toString").label, "no inherited key names a stream").to.equal("toString");
  });

  it("groups the picker's chains in a fixed order, each group by label", () => {
    const groups = groupStreams(
      ["receipt_r2", "partner_zeta", "agent_admin", "partner_alpha_energy", "notify_receipt_r2", "receipt_r1", "settings_jv", "x"].map(
        (stream) => ({ stream }),
      ),
      partnerName,
    );
    expect(groups.map((g) => [g.group, g.streams.map((s) => s.stream)])).to.deep.equal([
      ["Administration", ["settings_jv", "agent_admin"]],
      ["Production entries", ["partner_alpha_energy", "partner_zeta"]],
      ["Terminal receipts", ["receipt_r1", "receipt_r2"]],
      ["Notifications", ["notify_receipt_r2"]],
      ["Other", ["x"]],
    ]);
    expect(groupStreams([])).to.deep.equal([]);
  });
});
