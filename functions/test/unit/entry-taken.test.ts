import { expect } from "chai";
import { finishScan, takenInScan, takenNow } from "../../src/agents/accountant/entry-scan";
import { classified } from "../support/classified-entries";
import { entryDisposition } from "../../src/domain/entry-disposition";
import { measureFields, type MeasuredFields } from "../../src/domain/measured-fields";
import { auditedEntry, soundEntry } from "../support/seed";

const from = new Date("2026-09-01T00:00:00Z");
const to = new Date("2026-09-02T00:00:00Z");
const at = (hour: number) => new Date(from.getTime() + hour * 3_600_000);
const scanOf = (fields: Parameters<typeof classified>[0]) => finishScan(classified(fields));

describe("what a close's scan took of an entry, against the entry as it stands (a change during the close)", () => {
  it("takes a used entry as the scan's manifest line: the same after a move within the period, another after a correction", () => {
    const doc = auditedEntry(soundEntry("e1", "p", at(8)));
    const fields = doc as unknown as MeasuredFields;
    const row = {
      entry_id: "e1",
      partner_id: "p",
      nsv_bbl: measureFields(fields).nsvBbl,
      gross_volume_bbl: fields.gross_volume_bbl,
      bsw_percent: fields.bsw_percent,
      temperature_degF: fields.temperature_degF,
      api_gravity: fields.api_gravity,
      pressure_psig: 0,
      meter_factor: 1,
    };
    const scanned = takenInScan(scanOf({ used: [row] }), new Set(["e1", "other"]));
    expect([...scanned.keys()]).to.deep.equal(["e1"]);
    expect(takenNow("e1", doc, from, to)).to.equal(scanned.get("e1"));
    expect(takenNow("e1", auditedEntry(soundEntry("e1", "p", at(20))), from, to)).to.equal(scanned.get("e1"));
    expect(takenNow("e1", auditedEntry(soundEntry("e1", "p", at(8), 1010)), from, to)).to.not.equal(scanned.get("e1"));
  });

  it("takes an excluded entry as the scan's exclusion row, with its reason", () => {
    const doc = auditedEntry({ ...soundEntry("e2", "p", at(9)), status: "flagged", review: "rejected" });
    const disposition = entryDisposition(doc);
    expect(disposition.kind).to.equal("excluded");
    const reason = disposition.kind === "excluded" ? disposition.reason : "";
    const scanned = takenInScan(scanOf({ excluded: [{ entry_id: "e2", partner_id: "p", reason }] }), new Set(["e2"]));
    expect(takenNow("e2", doc, from, to)).to.equal(scanned.get("e2"));
    // Flagged, rejected on review, then approved: used now, no longer what the scan took.
    expect(takenNow("e2", auditedEntry({ ...soundEntry("e2", "p", at(9)), status: "flagged", review: "approved" }), from, to)).to.match(
      /^used /,
    );
  });

  it("takes nothing of an entry outside the period or gone, blocks on one awaiting its audit, and excludes one before the JV's start", () => {
    expect(takenNow("e3", auditedEntry(soundEntry("e3", "p", to)), from, to)).to.equal(undefined);
    expect(takenNow("e3", undefined, from, to)).to.equal(undefined);
    const edited = { ...auditedEntry(soundEntry("e3", "p", at(8))), gross_volume_bbl: 1200 };
    expect(takenNow("e3", edited, from, to)).to.equal("blocking");
    const jvStart = { date: "2026-09-01", from: at(12) };
    expect(takenNow("e3", auditedEntry(soundEntry("e3", "p", at(8))), from, to, jvStart)).to.equal(
      'excluded {"entry_id":"e3","partner_id":"p","reason":"measured before the JV start date 2026-09-01"}',
    );
  });
});
