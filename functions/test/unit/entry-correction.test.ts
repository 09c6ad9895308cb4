import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import {
  correctionChanges,
  entryCorrectionBrief,
  entryCorrectionNotice,
  lateEntryBrief,
  lateEntryNotice,
  type EntryCorrection,
} from "../../src/domain/entry-correction";
import { isNewCorrection, isNewLateEntry } from "../../src/agents/communicator/sources";
import { auditInputHash } from "../../src/domain/production-entry";

const stored = {
  partner_id: "okafor",
  measured_at: Timestamp.fromDate(new Date("2026-11-04T07:30:00Z")),
  meter_id: "OKB-LACT-01",
  gross_volume_bbl: 1000,
  bsw_percent: 0.5,
  temperature_degF: 60,
  api_gravity: 35,
  note: "",
};

const entry = { entry_id: "e-0419", partner_id: "okafor", partner_name: "Okafor Basin Oil", meter_id: "OKB-LACT-01" };

function correction(over: Partial<EntryCorrection> = {}): EntryCorrection {
  return {
    corrector_name: "Dana Okafor",
    corrected_at: new Date("2026-11-06T09:15:00Z"),
    correction_note: "Gauger's book: the ticket read 1,000.50 bbl",
    changes: correctionChanges(stored, { ...stored, gross_volume_bbl: 1000.5 }),
    day: "contract day 2026-11-04",
    reaudited: true,
    ...over,
  };
}

describe("a coordinator's correction of an entry", () => {
  describe("correctionChanges", () => {
    it("lists each changed field with its value before and after, in the notice's order", () => {
      const after = {
        ...stored,
        measured_at: Timestamp.fromDate(new Date("2026-11-04T08:00:00Z")),
        temperature_degF: 61.5,
        gross_volume_bbl: 1000.25,
        note: "re-read",
      };
      expect(correctionChanges(stored, after)).to.deep.equal([
        { field: "measured_at", before: "2026-11-04T07:30:00.000Z", after: "2026-11-04T08:00:00.000Z" },
        { field: "gross_volume_bbl", before: 1000, after: 1000.25 },
        { field: "temperature_degF", before: 60, after: 61.5 },
        { field: "note", before: null, after: "re-read" },
      ]);
    });

    it("reads an absent pressure as 0 psig, an absent meter factor as 1 and an empty note as none: writing them is no change", () => {
      expect(correctionChanges(stored, { ...stored, pressure_psig: 0, meter_factor: 1, note: "  " })).to.deep.equal([]);
      expect(correctionChanges(stored, { ...stored, pressure_psig: null, meter_factor: 1.0002 })).to.deep.equal([
        { field: "meter_factor", before: 1, after: 1.0002 },
      ]);
    });

    it("ignores fields a correction does not change: its own note and signature, the audit", () => {
      const after = { ...stored, correction_note: "x", corrected_by: "c1", corrected_at: Timestamp.now(), audit: { status: "validated" } };
      expect(correctionChanges(stored, after)).to.deep.equal([]);
    });
  });

  describe("entryCorrectionNotice", () => {
    it("tells the operators who corrected which entry, from what to what, why, and whom to ask", () => {
      const changes = correctionChanges(stored, {
        ...stored,
        gross_volume_bbl: 1000.5,
        meter_factor: 1.0003,
        measured_at: Timestamp.fromDate(new Date("2026-11-04T07:45:30Z")),
      });
      const text = entryCorrectionNotice(entry, correction({ changes }));
      expect(text.title).to.equal("Okafor Basin Oil · OKB-LACT-01, contract day 2026-11-04: corrected by Dana Okafor");
      expect(text.body.split("\n")).to.deep.equal([
        "Dana Okafor corrected the production entry of Okafor Basin Oil on meter OKB-LACT-01 for contract day 2026-11-04 at 2026-11-06 09:15 UTC.",
        "Changed: Measurement date: 2026-11-04 07:30 UTC → 2026-11-04 07:45:30 UTC; Gross volume: 1,000.00 bbl → 1,000.50 bbl; Meter factor: 1.00000 → 1.00030.",
        `Correction note: "Gauger's book: the ticket read 1,000.50 bbl"`,
        "The auditor audits the entry again. From now on only a coordinator or an admin can change it: if the correction is wrong, tell a coordinator.",
        "Entry id e-0419.",
      ]);
      expect(text.highlights[0]).to.equal("Corrected by Dana Okafor");
      expect(text.highlights).to.include("Gross volume: 1,000.00 bbl → 1,000.50 bbl");
      expect(text.highlights.at(-1)).to.equal(`"Gauger's book: the ticket read 1,000.50 bbl"`);
    });

    it("says a correction of the note alone is not audited again, and one changing nothing that only its note is new", () => {
      const noteOnly = entryCorrectionNotice(
        entry,
        correction({ changes: correctionChanges(stored, { ...stored, note: "seal 4471" }), reaudited: false }),
      );
      expect(noteOnly.body).to.include(`Changed: Note: (none) → "seal 4471".`);
      expect(noteOnly.body).not.to.include("audits the entry again");
      const nothing = entryCorrectionNotice(entry, correction({ changes: [], reaudited: false }));
      expect(nothing.body).to.include("No measured field or note changed: only the correction note is new.");
      expect(nothing.body).not.to.include("audits the entry again");
    });

    it("says an explicit 0 psig or meter factor 1 over none is audited again, though no figure changed in value", () => {
      const explicit = { ...stored, pressure_psig: 0 };
      const text = entryCorrectionNotice(
        entry,
        correction({ changes: correctionChanges(stored, explicit), reaudited: auditInputHash(stored) !== auditInputHash(explicit) }),
      );
      expect(text.body).to.include(
        "No figure changed in value (a pressure of 0 or a meter factor of 1 was written where the entry had none)",
      );
      expect(text.body).to.include("The auditor audits the entry again.");
    });

    it("names an account without a name as a coordinator, and keeps typed text on one line without controls", () => {
      const text = entryCorrectionNotice(
        { ...entry, partner_name: "Okafor\nBasin" },
        correction({ corrector_name: null, correction_note: "line one\nline two\u202E" }),
      );
      expect(text.title).to.equal("Okafor Basin · OKB-LACT-01, contract day 2026-11-04: corrected by a coordinator");
      expect(text.body).to.match(/^A coordinator corrected the production entry of Okafor Basin /);
      expect(text.body).to.include(`Correction note: "line one line two"`);
      expect(text.body).not.to.include("\u202E");
    });
  });

  it("its brief is the template, without Gemini, with the changes as data", () => {
    const brief = entryCorrectionBrief(entry, { ...correction(), corrected_by: "coord-1", contract_day: "2026-11-04" });
    expect(brief.type).to.equal("entry_corrected");
    expect(brief.templateOnly?.reason).to.equal("coordinator_decision");
    expect(brief.data).to.deep.include({ entry_id: "e-0419", corrected_by: "coord-1", corrected_at: "2026-11-06T09:15:00.000Z" });
    expect(brief.data.changes).to.deep.equal([{ field: "gross_volume_bbl", before: 1000, after: 1000.5 }]);
  });

  describe("isNewCorrection", () => {
    const signed = { ...stored, correction_note: "first", corrected_by: "c1", corrected_at: Timestamp.fromMillis(1000) };
    it("is true for a write that signs a new correction, also of an entry corrected before", () => {
      expect(isNewCorrection(stored, signed)).to.equal(true);
      expect(isNewCorrection(signed, { ...signed, correction_note: "second", corrected_at: Timestamp.fromMillis(2000) })).to.equal(true);
    });
    it("is false for the auditor's write beside a kept correction, an unsigned note and a create", () => {
      expect(isNewCorrection(signed, { ...signed, audit: { status: "validated" } })).to.equal(false);
      expect(isNewCorrection(stored, { ...stored, correction_note: "unsigned" })).to.equal(false);
      expect(isNewCorrection(undefined, signed)).to.equal(false);
    });
  });

  describe("a late entry", () => {
    const figures = { gross_volume_bbl: 20, bsw_percent: 0.5, temperature_degF: 60, api_gravity: 30 };
    const late = {
      corrector_name: "Dana Okafor",
      entered_at: new Date("2026-11-06T09:15:00Z"),
      correction_note: "Ticket 4411 found in the gauger's book",
      day: "contract day 2026-11-04",
      status: "validated" as const,
    };

    it("tells the operators who entered what, for which day, why, its verdict and whom to ask", () => {
      const text = lateEntryNotice({ ...entry, ...figures }, late);
      expect(text.title).to.equal("Okafor Basin Oil · OKB-LACT-01, contract day 2026-11-04: entered late by Dana Okafor");
      expect(text.body.split("\n")).to.deep.equal([
        "Dana Okafor entered a production entry of Okafor Basin Oil on meter OKB-LACT-01 for contract day 2026-11-04 at 2026-11-06 09:15 UTC, after the fact.",
        "Measured: gross 20.00 bbl, BS&W 0.50%, temperature 60.00 °F, API gravity 30.00.",
        `Why: "Ticket 4411 found in the gauger's book"`,
        "The auditor validated it: it counts in its period's allocation (a period already reconciled, once a coordinator reconciles it again).",
        "Only a coordinator or an admin can change it: if it is wrong, or duplicates a ticket you entered, tell a coordinator.",
        "Entry id e-0419.",
      ]);
      expect(lateEntryNotice({ ...entry, ...figures }, { ...late, status: "flagged" }).body).to.include("you are told of the flag apart");
      const brief = lateEntryBrief({ ...entry, ...figures }, { ...late, corrected_by: "coord-1", contract_day: "2026-11-04" });
      expect(brief).to.deep.include({ type: "entry_entered_late" });
      expect(brief.data).to.deep.include({ entry_id: "e-0419", corrected_by: "coord-1", audit_status: "validated" });
    });

    it("is told on the auditor's first verdict of an entry whose creation signed the correction, not on a correction's", () => {
      const at = Timestamp.fromMillis(5000);
      const created = { ...stored, created_by: "c1", created_at: at, correction_note: "late", corrected_by: "c1", corrected_at: at };
      const audited = { ...created, audit: { status: "validated" } };
      expect(isNewLateEntry(created, audited)).to.equal(true);
      expect(isNewLateEntry(audited, { ...audited, audit: { status: "flagged" } }), "a later verdict").to.equal(false);
      const corrected = { ...created, corrected_at: Timestamp.fromMillis(9000) };
      expect(isNewLateEntry(corrected, { ...corrected, audit: { status: "validated" } }), "a correction").to.equal(false);
      const operators = { ...stored, created_by: "op1", created_at: at };
      expect(isNewLateEntry(operators, { ...operators, audit: { status: "validated" } }), "an operator's entry").to.equal(false);
    });
  });
});
