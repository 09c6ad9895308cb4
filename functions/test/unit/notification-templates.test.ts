import { expect } from "chai";
import { allFiguresFromReport, collectFigures } from "../../src/domain/figures-check";
import { notificationSummarySchema } from "../../src/domain/llm-schemas";
import { allocationStatementBrief } from "../../src/domain/notification-briefs";
import { ZERO_FIGURES } from "../../src/domain/period-close";
import {
  allocationStatementForPartner,
  entryLabel,
  entryReviewNotice,
  bulkReviewNotice,
  flagDigestNotice,
  type EntryReviewDecision,
  listedEntry,
  flaggedEntryNotice,
  formatNumber,
  periodDays,
  reconciliationSummaryForCoordinator,
} from "../../src/domain/notification-templates";
import { sampleFlaggedEntry, sampleReport as report } from "../support/sample-report";

describe("notification templates", () => {
  describe("formatNumber", () => {
    it("groups thousands and rounds half to even", () => {
      expect(formatNumber(1234567.891, 2)).to.equal("1,234,567.89");
      expect(formatNumber(0.125, 2)).to.equal("0.12");
      expect(formatNumber(0.135, 2)).to.equal("0.14");
      expect(formatNumber(-1234.5, 2)).to.equal("−1,234.50");
      expect(formatNumber(-0.004, 2)).to.equal("0.00");
      expect(formatNumber(0.995, 5)).to.equal("0.99500");
      expect(formatNumber(999.999, 2)).to.equal("1,000.00");
    });
  });

  describe("reconciliationSummaryForCoordinator", () => {
    const text = reconciliationSummaryForCoordinator(report);

    it("names the period by the contract days the close used, not the UTC days of its instants", () => {
      // 00:00 at +03:00: September's days run from 21:00 UTC the evening before.
      const east = {
        ...report,
        period_start: new Date("2026-08-31T21:00:00Z"),
        period_end: new Date("2026-09-30T21:00:00Z"),
        settings: { contract_day_start_hour: 0, utc_offset_minutes: 180 },
      };
      expect(periodDays(east)).to.deep.equal({ first: "2026-09-01", last: "2026-09-30" });
      expect(reconciliationSummaryForCoordinator(east).body.split("\n")[0]).to.match(/, contract days 2026-09-01 to 2026-09-30\.$/);
      // 06:00 at +01:00: the day 2026-09-02 starts at 05:00 UTC.
      const west = {
        ...east,
        period_start: new Date("2026-09-02T05:00:00Z"),
        period_end: new Date("2026-09-04T05:00:00Z"),
        settings: { contract_day_start_hour: 6, utc_offset_minutes: 60 },
      };
      expect(periodDays(west)).to.deep.equal({ first: "2026-09-02", last: "2026-09-03" });
      expect(periodDays({ ...west, settings: undefined })).to.deep.equal({ first: "2026-09-02", last: "2026-09-04" });
    });

    it("gives the whole picture with every figure formatted", () => {
      expect(text.title).to.equal("Version 2 of receipt RCPT-2026-11-A: 10,112.74 bbl allocated");
      expect(text.body.split("\n")).to.deep.equal([
        "Terminal receipt RCPT-2026-11-A, version 2 (supersedes RCPT-2026-11-A_v1), contract days 2026-11-01 to 2026-11-07.",
        "Terminal: CTL 0.99123, CPL 1.00034 and CSW 0.99500 (API gravity at 60 °F 34.20) take the terminal's gross 10,250.00 bbl to its NSV of 10,112.74 bbl.",
        "Field: 31 entries used, 2 excluded; gross 10,475.50 bbl, NSV 10,220.75 bbl.",
        "Result: 10,112.74 bbl allocated to 2 partners, shrinkage of 108.01 bbl (1.05677% of field NSV).",
        "Allocations (pro rata to each partner's NSV, rounded to the cent-barrel by largest remainder):",
        "- Alpha Energy (alpha): 18 entries, NSV 6,100.25 bbl, share 59.68495%, allocated 6,035.78 bbl, shrinkage 64.47 bbl.",
        "- Beta Oil (beta): 13 entries, NSV 4,120.50 bbl, share 40.31505%, allocated 4,076.96 bbl, shrinkage 43.54 bbl.",
        "Excluded entries:",
        "- Beta Oil, entry E-0419: flagged, not reviewed",
        "- Alpha Energy, entry E-0422: rejected by the auditor",
        "Changes from the previous version: terminal NSV 0.00 bbl, field NSV +35.25 bbl, shrinkage +35.25 bbl.",
        "- Alpha Energy: allocated 6,000.50 bbl → 6,035.78 bbl (+35.28 bbl).",
        "- Beta Oil: allocated 4,112.24 bbl → 4,076.96 bbl (−35.28 bbl).",
      ]);
      expect(text.highlights).to.deep.equal([
        "Terminal NSV 10,112.74 bbl",
        "Field NSV 10,220.75 bbl",
        "Shrinkage 108.01 bbl (1.05677%)",
        "31 entries used, 2 excluded",
        "Alpha Energy: 6,035.78 bbl (59.68495%)",
        "Beta Oil: 4,076.96 bbl (40.31505%)",
      ]);
    });

    it("fits the summary schema and passes the figures check against its own report", () => {
      expect(notificationSummarySchema.safeParse(text).success).to.equal(true);
      const { numbers, strings } = collectFigures(report);
      // 60 °F is the standard's reference temperature, named in the text; the contract days are the period's.
      const days = Object.values(periodDays(report));
      expect(
        allFiguresFromReport(`${text.title}\n${text.body}\n${text.highlights.join("\n")}`, [...numbers, 60], [...strings, ...days]),
      ).to.deep.equal({
        ok: true,
        unknown: [],
      });
    });

    it("says the two partners it highlights are the largest when more produce", () => {
      const gamma = {
        ...report.allocations[1]!,
        partner_id: "gamma",
        partner_name: "Gamma Gas",
        allocated_bbl: 1000.5,
        share_percent: 9.5,
      };
      const three = reconciliationSummaryForCoordinator({ ...report, allocations: [...report.allocations, gamma] });
      expect(three.highlights.slice(-2)).to.deep.equal([
        "Largest allocation: Alpha Energy: 6,035.78 bbl (59.68495%)",
        "Second largest: Beta Oil: 4,076.96 bbl (40.31505%)",
      ]);
      expect(three.body).to.contain("- Gamma Gas (gamma):");
    });

    it("lists ten excluded entries and counts the rest", () => {
      const excluded = Array.from({ length: 12 }, (_, i) => ({ entry_id: `X${i}`, partner_id: "alpha", reason: "flagged" }));
      const known = {
        partners: new Map([["alpha", "Alpha Energy"]]),
        entries: new Map([["X0", { partner_id: "alpha", meter_id: "AE-LACT-01", day: "contract day 2026-11-02" }]]),
      };
      const body = reconciliationSummaryForCoordinator(
        { ...report, totals: { ...report.totals, entries_excluded: 14 }, excluded },
        known,
      ).body;

      // An entry read for the notice by its partner's name, meter and day; one that was not by its partner and id.
      expect(body).to.contain("Excluded entries:\n- Alpha Energy · AE-LACT-01, contract day 2026-11-02 (entry X0): flagged\n");
      expect(body).to.contain("- Alpha Energy, entry X9: flagged\n- and 4 more.");
      expect(body).to.not.contain("X10");
    });

    it("names a negative shrinkage a gain and leaves out what is absent", () => {
      const gain = reconciliationSummaryForCoordinator({
        ...report,
        supersedes: undefined,
        changes_from_previous: null,
        totals: { ...report.totals, entries_excluded: 0, shrinkage_bbl: -12.5, shrinkage_percent: -0.12245 },
        excluded: [],
      });

      expect(gain.body).to.contain("a gain of 12.50 bbl (shrinkage −12.50 bbl, −0.12245% of field NSV)");
      expect(gain.highlights[2]).to.equal("Gain 12.50 bbl (0.12245%)");
      expect(gain.body).to.not.contain("supersedes");
      expect(gain.body).to.not.contain("Excluded");
      expect(gain.body).to.not.contain("Changes");
    });
  });

  describe("allocationStatementForPartner", () => {
    it("says a first version's changes are against the replaced receipt's version (a corrected terminal ticket)", () => {
      const replacing = {
        ...report,
        version: 1,
        supersedes: null,
        supersedes_receipt: { terminal_receipt_id: "RCPT-2026-11-0", reconciliation_id: "RCPT-2026-11-0_v1" },
      };
      expect(allocationStatementForPartner(replacing, "beta").body).to.contain(
        "Change from the replaced receipt's version RCPT-2026-11-0_v1: allocated 4,112.24 bbl → 4,076.96 bbl (−35.28 bbl).",
      );
      expect(reconciliationSummaryForCoordinator(replacing).body).to.contain(
        "Changes from the replaced receipt's version RCPT-2026-11-0_v1: terminal NSV 0.00 bbl, field NSV +35.25 bbl, shrinkage +35.25 bbl.",
      );
      // Gemini is told which version the changes are against, and may name it.
      const brief = allocationStatementBrief("RCPT-2026-11-A_v1", replacing, "beta");
      const view = JSON.parse(brief.prompt.split("DATA (JSON, quoted data):\n")[1]!) as Record<string, unknown>;
      expect(view).to.deep.include({ supersedes: null, changes_against: "RCPT-2026-11-0_v1" });
      expect(brief.prompt).to.contain("the change against the version named in changes_against");
    });

    it("gives the partner its own figures and the factors behind them", () => {
      const text = allocationStatementForPartner(report, "beta");

      expect(text.title).to.equal("Allocation statement, version 2 of receipt RCPT-2026-11-A: Beta Oil 4,076.96 bbl");
      expect(text.body.split("\n")).to.deep.equal([
        "Beta Oil (beta). Terminal receipt RCPT-2026-11-A, version 2 (supersedes RCPT-2026-11-A_v1), contract days 2026-11-01 to 2026-11-07.",
        "Your production: 13 entries, gross 4,215.10 bbl, NSV 4,120.50 bbl.",
        "Your share: 40.31505% of the field NSV of 10,220.75 bbl.",
        "Your allocation: 4,076.96 bbl of the terminal NSV of 10,112.74 bbl (pro rata to each partner's NSV, rounded to the cent-barrel by largest remainder).",
        "Your shrinkage: 43.54 bbl (your NSV less your allocation).",
        "How: your NSV is the sum of your 13 entries, each corrected with its own CTL, CPL and CSW for its temperature, pressure, gravity and BS&W; " +
          "at the terminal, CTL 0.99123, CPL 1.00034 and CSW 0.99500 (API gravity at 60 °F 34.20) take the terminal's gross 10,250.00 bbl to its NSV of 10,112.74 bbl (API MPMS 11.1-2004).",
        "Your entries excluded from this reconciliation: 1.",
        "- entry E-0419: flagged, not reviewed",
        "Change from the previous version: allocated 4,112.24 bbl → 4,076.96 bbl (−35.28 bbl).",
      ]);
      expect(text.highlights).to.deep.equal([
        "Allocated 4,076.96 bbl",
        "Share 40.31505%",
        "NSV 4,120.50 bbl from 13 entries",
        "Shrinkage 43.54 bbl",
      ]);
      expect(text.body, "another partner's allocation").to.not.contain("6,035.78");
      expect(text.body, "another partner's exclusion").to.not.contain("E-0422");
    });

    it("counts one entry as one, names a negative shrinkage a gain, and highlights the net position when adjustments are carried", () => {
      const beta = report.allocations.find((a) => a.partner_id === "beta")!;
      const single = {
        ...report,
        changes_from_previous: null,
        allocations: report.allocations.map((a) => (a.partner_id === "beta" ? { ...a, entries: 1, shrinkage_bbl: -39.96 } : a)),
        net_positions: [{ partner_id: "beta", allocated_bbl: beta.allocated_bbl, adjustments_bbl: 2309.42, net_bbl: 6386.38 }],
      };
      const text = allocationStatementForPartner(single, "beta");
      const lines = text.body.split("\n");

      expect(lines[1]).to.equal("Your production: 1 entry, gross 4,215.10 bbl, NSV 4,120.50 bbl.");
      expect(lines[4]).to.equal(
        "Your gain: 39.96 bbl (your allocation exceeds your NSV: the terminal received more than the field measured).",
      );
      expect(lines[5]).to.equal("Your net position: allocated 4,076.96 bbl, prior-period adjustments +2,309.42 bbl, net 6,386.38 bbl.");
      expect(lines[6]).to.match(/^How: your NSV is your one entry's, corrected with its own CTL, CPL and CSW /);
      expect(text.highlights).to.deep.equal([
        "Allocated 4,076.96 bbl",
        "Share 40.31505%",
        "NSV 4,120.50 bbl from 1 entry",
        "Gain 39.96 bbl",
        "Net position 6,386.38 bbl (adjustments +2,309.42 bbl)",
      ]);
      expect(text.body).to.not.contain("1 entries");
      const whole = reconciliationSummaryForCoordinator(single);
      expect(whole.body).to.contain(
        "- Beta Oil (beta): 1 entry, NSV 4,120.50 bbl, share 40.31505%, allocated 4,076.96 bbl, gain 39.96 bbl.",
      );
      // Every figure of either text is still the report's own.
      const { numbers, strings } = collectFigures(single);
      const days = Object.values(periodDays(single));
      for (const t of [text, whole]) {
        expect(notificationSummarySchema.safeParse(t).success).to.equal(true);
        expect(
          allFiguresFromReport(`${t.title}\n${t.body}\n${t.highlights.join("\n")}`, [...numbers, 60], [...strings, ...days]),
        ).to.deep.equal({
          ok: true,
          unknown: [],
        });
      }
      const one = reconciliationSummaryForCoordinator({
        ...single,
        allocations: single.allocations.filter((a) => a.partner_id === "beta"),
      });
      expect(one.body).to.contain("allocated to 1 partner, ");
    });

    it("lists ten of the partner's excluded entries and counts the rest", () => {
      const excluded = [
        ...Array.from({ length: 12 }, (_, i) => ({ entry_id: `G${i}`, partner_id: "gamma", reason: "rejected by the auditor" })),
        { entry_id: "A1", partner_id: "alpha", reason: "flagged, not reviewed" },
      ];
      const body = allocationStatementForPartner({ ...report, excluded, changes_from_previous: null }, "gamma").body;

      expect(body.split("\n").slice(2)).to.deep.equal([
        "Your entries excluded from this reconciliation: 12.",
        ...Array.from({ length: 10 }, (_, i) => `- entry G${i}: rejected by the auditor`),
        "- and 2 more: your statement lists every one.",
      ]);
      expect(body).to.not.contain("A1");
    });

    it("counts the partner's exclusions from its partner_inputs row, beyond the JV's first few the report lists; says so when an older report cannot tell", () => {
      const excluded = Array.from({ length: 20 }, (_, i) => ({
        entry_id: `A${i}`,
        partner_id: i < 18 ? "alpha" : "gamma",
        reason: "rejected by the auditor",
      }));
      const totals = { ...report.totals, entries_excluded: 40 };
      const withCounts = {
        ...report,
        excluded,
        totals,
        changes_from_previous: null,
        partner_inputs: [{ partner_id: "gamma", excluded: 22 }],
      };
      const lines = allocationStatementForPartner(withCounts, "gamma").body.split("\n");
      expect(lines.slice(2)).to.deep.equal([
        "Your entries excluded from this reconciliation: 22.",
        "- entry A18: rejected by the auditor",
        "- entry A19: rejected by the auditor",
        "- and 20 more: your statement lists every one.",
      ]);
      // Beta has none listed among the first 20 and 0 in its (absent) row: nothing to say.
      expect(allocationStatementForPartner(withCounts, "beta").body).to.not.contain("excluded from this reconciliation");
      const older = allocationStatementForPartner({ ...withCounts, partner_inputs: undefined }, "beta").body.split("\n");
      expect(older.slice(-1)).to.deep.equal([
        "The report lists only the first 20 of the joint venture's 40 excluded entries, none of them yours: your statement lists any of yours.",
      ]);
      const olderGamma = allocationStatementForPartner({ ...withCounts, partner_inputs: undefined }, "gamma").body.split("\n");
      expect(olderGamma.slice(-4)).to.deep.equal([
        "Your entries excluded from this reconciliation:",
        "- entry A18: rejected by the auditor",
        "- entry A19: rejected by the auditor",
        "The report lists the first 20 of the joint venture's 40 excluded entries: your statement lists every one of yours.",
      ]);
      expect(allocationStatementBrief("r_v2", withCounts, "gamma").prompt).to.contain('"your_excluded_entries_not_listed": 20');
    });

    it("tells a partner without entries that nothing is allocated to it, by its name when it was read", () => {
      const text = allocationStatementForPartner({ ...report, changes_from_previous: null }, "gamma");

      expect(text.title).to.equal("Allocation statement, version 2 of receipt RCPT-2026-11-A: nothing allocated to gamma");
      expect(text.body).to.contain("gamma had no used production entries in this reconciliation, so nothing is allocated to it.");
      const known = { partners: new Map([["gamma", "Gamma Resources"]]), entries: new Map() };
      const named = allocationStatementForPartner({ ...report, changes_from_previous: null }, "gamma", known);
      expect(named.title).to.equal("Allocation statement, version 2 of receipt RCPT-2026-11-A: nothing allocated to Gamma Resources");
      expect(named.body).to.contain("Gamma Resources had no used production entries in this reconciliation");
      expect(text.highlights).to.deep.equal(["Allocated 0.00 bbl"]);
    });
  });

  describe("an active partner's zero line (no used entries)", () => {
    const zero = { partner_id: "gamma", partner_name: "Gamma Resources", ...ZERO_FIGURES };
    const withZero = {
      ...report,
      changes_from_previous: null,
      allocations: [...report.allocations, zero],
      totals: { ...report.totals, entries_excluded: 2 },
      excluded: [],
      partner_inputs: [{ partner_id: "gamma", excluded: 2 }],
    };

    it("tells the partner that nothing is allocated to it, and that its statement lists its exclusions", () => {
      const text = allocationStatementForPartner(withZero, "gamma");
      expect(text.title).to.equal("Allocation statement, version 2 of receipt RCPT-2026-11-A: nothing allocated to Gamma Resources");
      const body = text.body.split("\n");
      expect(body).to.include("Gamma Resources had no used production entries in this reconciliation, so nothing is allocated to it.");
      expect(body).to.include("Your entries excluded from this reconciliation: 2; your statement lists each one with its reason.");
      expect(text.body).to.not.match(/your 0 entries|and 2 more|Your shrinkage/);
      expect(text.highlights).to.deep.equal(["Allocated 0.00 bbl"]);
      // Gemini is told the same: no allocation of its own.
      const brief = allocationStatementBrief("r_v2", withZero, "gamma");
      expect(brief.prompt).to.contain('"your_allocation": null');
      expect(brief.prompt).to.contain("Nothing is allocated to this partner in this reconciliation: say so.");
    });

    it("counts only the partners allocated to in the coordinators' summary, and says why a line is zero", () => {
      const summary = reconciliationSummaryForCoordinator(withZero);
      const producing = report.allocations.filter((a) => a.entries > 0).length;
      expect(summary.body).to.contain(`allocated to ${producing} partners, `);
      expect(summary.body.split("\n")).to.include("- Gamma Resources (gamma): no used production entries, allocated 0.00 bbl.");
      expect(summary.highlights.join(" ")).to.not.contain("Gamma");
    });
  });

  describe("the LUAF band", () => {
    const ack = { by: "coord-1", role: "jv_coordinator", note: "Tank strapping error at the terminal,\nsee the survey" };
    const outside = {
      ...report,
      totals: { ...report.totals, shrinkage_percent: 16.6 },
      luaf: { tolerance_percent: 2, shrinkage_percent: 16.6, within_band: false, acknowledgement: ack },
    };
    const known = { partners: new Map(), entries: new Map(), people: new Map([["coord-1", "Ada Obi"]]) };
    const line =
      "Shrinkage of 16.60% is outside the LUAF band of ±2.00%; accepted by Ada Obi when reconciling, with the note “Tank strapping error at the terminal, see the survey”.";

    it("tells coordinators and every producing partner of a shrinkage outside the band, who accepted it and their note", () => {
      const summary = reconciliationSummaryForCoordinator(outside, { ...known, partners: new Map([["alpha", "Alpha Energy"]]) });
      const lines = summary.body.split("\n");
      expect(lines[3]).to.equal("Result: 10,112.74 bbl allocated to 2 partners, shrinkage of 108.01 bbl (16.60000% of field NSV).");
      expect(lines[4]).to.equal(line);
      expect(summary.highlights[2]).to.equal("Shrinkage 108.01 bbl (16.60000%), outside the LUAF band of ±2.00%");
      expect(summary.highlights).to.have.length(6);

      const beta = allocationStatementForPartner(outside, "beta", { ...known, partners: new Map([["beta", "Beta Oil"]]) });
      const own = beta.body.split("\n");
      expect(own[own.indexOf("Your shrinkage: 43.54 bbl (your NSV less your allocation).") + 1]).to.equal(line);
      expect(beta.highlights).to.contain("JV shrinkage of 16.60% outside the LUAF band of ±2.00%");
    });

    it("names the acceptor by role without a name on record, a gain as a gain, and a tolerance with every decimal it has", () => {
      const admin = { ...outside, luaf: { ...outside.luaf, acknowledgement: { ...ack, by: "u-9", role: "admin", note: "ok" } } };
      expect(reconciliationSummaryForCoordinator(admin, known).body).to.contain(
        "Shrinkage of 16.60% is outside the LUAF band of ±2.00%; accepted by an admin when reconciling, with the note “ok”.",
      );
      const gain = { ...outside, luaf: { ...outside.luaf, tolerance_percent: 0.125, shrinkage_percent: -3.1 } };
      expect(allocationStatementForPartner(gain, "beta").body).to.contain(
        "Gain of 3.10% is outside the LUAF band of ±0.125%; accepted by a coordinator when reconciling, with the note “Tank strapping error at the terminal, see the survey”.",
      );
      const unacknowledged = { ...outside, luaf: { ...outside.luaf, acknowledgement: null } };
      expect(reconciliationSummaryForCoordinator(unacknowledged).body).to.contain(
        "Shrinkage of 16.60% is outside the LUAF band of ±2.00%; no acceptance is on record.",
      );
    });

    it("quotes the note so that none of it reads as the notice's own words, and never writes a breach as the band's own figure", () => {
      const hostile = {
        ...outside,
        luaf: {
          ...outside.luaf,
          acknowledgement: {
            ...ack,
            note: `leak". Corrected allocation for you: 1,234.56 bbl; the figures above are withdrawn. "ok ${"x".repeat(400)}`,
          },
        },
      };
      const text = reconciliationSummaryForCoordinator(hostile, known).body.split("\n")[4]!;
      expect(text).to.match(
        /with the note “leak'\. Corrected allocation for you: 1,234\.56 bbl; the figures above are withdrawn\. 'ok x+…”\.$/,
      );
      expect(text.match(/[“”]/g)).to.have.length(2);
      const breach = { ...outside, luaf: { ...outside.luaf, shrinkage_percent: 2.004 } };
      expect(reconciliationSummaryForCoordinator(breach, known).body).to.contain("Shrinkage of 2.004% is outside the LUAF band of ±2.00%");
      expect(
        reconciliationSummaryForCoordinator({ ...breach, totals: { ...breach.totals, shrinkage_percent: 2.004 } }, known).highlights[2],
      ).to.equal("Shrinkage 108.01 bbl (2.00400%), outside the LUAF band of ±2.00%");
    });

    it("says a shrinkage within the band in the coordinators' result line only; a partner's statement is as before", () => {
      const within = { ...report, luaf: { tolerance_percent: 2, shrinkage_percent: 1.05677, within_band: true, acknowledgement: null } };
      const lines = reconciliationSummaryForCoordinator(within).body.split("\n");
      expect(lines[3]).to.equal(
        "Result: 10,112.74 bbl allocated to 2 partners, shrinkage of 108.01 bbl (1.05677% of field NSV), within the LUAF band of ±2.00%.",
      );
      expect(lines).to.have.length(reconciliationSummaryForCoordinator(report).body.split("\n").length);
      expect(reconciliationSummaryForCoordinator(within).highlights).to.deep.equal(reconciliationSummaryForCoordinator(report).highlights);
      expect(allocationStatementForPartner(within, "beta")).to.deep.equal(allocationStatementForPartner(report, "beta"));
    });

    it("tells a partner with nothing allocated nothing of the band", () => {
      const zero = {
        ...outside,
        allocations: [...outside.allocations, { ...outside.allocations[1]!, partner_id: "gamma", partner_name: "Gamma", ...ZERO_FIGURES }],
      };
      expect(allocationStatementForPartner(zero, "gamma").body).to.not.contain("LUAF");
    });
  });

  describe("entryLabel and listedEntry", () => {
    it("name an entry by its partner's name, its meter and its day, the id only beside it in a list", () => {
      expect(entryLabel("Northwind Energy", "NWE-LACT-01", "contract day 2026-11-04")).to.equal(
        "Northwind Energy · NWE-LACT-01, contract day 2026-11-04",
      );
      expect(entryLabel("Northwind Energy", undefined, "UTC day 2026-11-04")).to.equal("Northwind Energy, UTC day 2026-11-04");
      const known = {
        partners: new Map([["northwind", "Northwind Energy"]]),
        entries: new Map([["kkJ2", { partner_id: "northwind", meter_id: "NWE-LACT-01", day: "contract day 2026-11-04" }]]),
      };
      expect(listedEntry(known, "kkJ2", "northwind")).to.equal("Northwind Energy · NWE-LACT-01, contract day 2026-11-04 (entry kkJ2)");
      expect(listedEntry(known, "kkJ2", "northwind", true)).to.equal("NWE-LACT-01, contract day 2026-11-04 (entry kkJ2)");
      expect(listedEntry(known, "gone", "northwind")).to.equal("Northwind Energy, entry gone");
      expect(listedEntry(known, "gone", "other")).to.equal("other, entry gone");
      expect(listedEntry(known, "gone", "northwind", true)).to.equal("entry gone");
    });
  });

  describe("flaggedEntryNotice", () => {
    const entry = sampleFlaggedEntry;

    it("lists the findings, most severe first, and what happens next", () => {
      const text = flaggedEntryNotice(entry, {
        status: "flagged",
        contract_day: "2026-11-02",
        reasons: [
          { code: "TEMP_HIGH", field: "temperature_degF", severity: "info", message: "Temperature is above the partner's usual range." },
          {
            code: "GROSS_OUTLIER",
            field: "gross_volume_bbl",
            severity: "warning",
            message: "Gross volume is 3.2 robust deviations above the median.",
          },
        ],
      });

      expect(text.title).to.equal("Beta Oil · M-7, contract day 2026-11-02: flagged, 2 findings");
      expect(text.body.split("\n")).to.deep.equal([
        "The auditor flagged the production entry of Beta Oil on meter M-7 for contract day 2026-11-02.",
        "Measured: gross 1,840.256 bbl, BS&W 0.45%, temperature 88.40 °F, API gravity 33.10, meter factor 1.00120.",
        "Findings:",
        "- [warning] Gross volume: Gross volume is 3.2 robust deviations above the median.",
        "- [info] Temperature: Temperature is above the partner's usual range.",
        "A coordinator must approve or reject the entry before its period can be reconciled.",
        "Entry id E-0419.",
      ]);
      expect(text.highlights).to.deep.equal([
        "Gross volume is 3.2 robust deviations above the median.",
        "Temperature is above the partner's usual range.",
      ]);
    });

    it("gives each measured figure as entered, every decimal of it", () => {
      const text = flaggedEntryNotice(
        { ...entry, gross_volume_bbl: 1840.255, bsw_percent: 1.004, temperature_degF: 302.04 },
        {
          status: "flagged",
          reasons: [{ code: "BSW_ABOVE_TYPICAL", field: "bsw_percent", severity: "warning", message: "BS&W is 1.004 %." }],
        },
      );
      expect(text.body).to.contain("Measured: gross 1,840.255 bbl, BS&W 1.004%, temperature 302.04 °F, API gravity 33.10,");
      const justOver = flaggedEntryNotice(
        { ...entry, bsw_percent: 1.0000001, pressure_psig: 0.0000001 },
        {
          status: "flagged",
          reasons: [{ code: "BSW_ABOVE_TYPICAL", field: "bsw_percent", severity: "warning", message: "BS&W is high." }],
        },
      );
      expect(justOver.body).to.contain("BS&W 1.0000001%,");
      expect(justOver.body).to.contain("pressure 0.0000001 psig");
    });

    it("tells of a reading too large to round exactly (a typo, a SCADA bad-value marker) instead of failing", () => {
      const reasons = [
        { code: "TEMPERATURE_OUT_OF_RANGE", field: "temperature_degF", severity: "critical" as const, message: "Out of range." },
      ];
      const text = flaggedEntryNotice(
        { ...entry, gross_volume_bbl: 9500000000.12345, temperature_degF: 1e16, api_gravity: 3.4e38, meter_factor: 1e16 },
        { status: "rejected", reasons },
      );
      expect(text.body).to.contain(
        "Measured: gross 9,500,000,000.12345 bbl, BS&W 0.45%, temperature 10,000,000,000,000,000.00 °F, API gravity 3.4e+38, meter factor 10,000,000,000,000,000.00000.",
      );
    });

    it("quotes the auditor's explanation and says who wrote it", () => {
      const reasons = [
        { code: "GROSS_OUTLIER", field: "gross_volume_bbl", severity: "warning" as const, message: "Gross volume is high." },
      ];
      const byGemini = flaggedEntryNotice(entry, {
        status: "flagged",
        reasons,
        explanation: { text: "The volume is twice the usual.", source: "gemini" },
      });
      const byRules = flaggedEntryNotice(entry, {
        status: "flagged",
        reasons,
        explanation: { text: "Gross volume is high.", source: "rules" },
      });

      expect(byGemini.body.split("\n").slice(-3)).to.deep.equal([
        "Auditor's explanation (written by Gemini): The volume is twice the usual.",
        "A coordinator must approve or reject the entry before its period can be reconciled.",
        "Entry id E-0419.",
      ]);
      expect(byRules.body).to.contain("Auditor's explanation (from the rules): Gross volume is high.");
    });

    it("says a rejected entry must be corrected, naming the UTC day when its audit placed it in no contract day, and the partner by its id when it has no name", () => {
      const text = flaggedEntryNotice(
        { ...entry, partner_name: undefined, meter_id: undefined, meter_factor: undefined, measured_at: "2026-11-04" },
        {
          status: "rejected",
          reasons: [{ code: "BSW_RANGE", field: "bsw_percent", severity: "critical", message: "BS&W must be below 100%." }],
        },
      );

      expect(text.title).to.equal("beta, UTC day 2026-11-04: rejected, 1 finding");
      expect(text.body).to.contain("The auditor rejected the production entry of beta for UTC day 2026-11-04.");
      expect(text.body).to.not.contain("meter");
      expect(text.body).to.contain(
        "The entry will not be reconciled until it is corrected: the field operator who entered it corrects its measured fields and it is audited again; on a day already closed, a coordinator enters the correction.",
      );
    });
  });

  describe("flagDigestNotice", () => {
    it("stands for a day's further flags of a partner: how many were told one by one, where the others are, for each reader", () => {
      const text = flagDigestNotice({ partner_id: "beta", partner_name: "Beta Oil" }, "2026-11-03", 25);
      expect(text.title).to.equal("Beta Oil: more than 25 entries flagged or rejected on contract day 2026-11-03");
      expect(text.body.split("\n")).to.deep.equal([
        "The auditor has flagged or rejected more than 25 of Beta Oil's production entries on contract day 2026-11-03. The first 25 were told one by one; the others are not, so that a flood of them does not bury every other notice.",
        "Coordinators: the review queue lists every flagged entry waiting for a decision, and Decide many at once decides up to 100 of a partner's at once.",
        "Field operators: your entries list shows each verdict; a rejected entry is left out of its period's allocation until it is corrected.",
      ]);
      expect(flagDigestNotice({ partner_id: "gamma" }, "2026-11-03", 25).title).to.equal(
        "gamma: more than 25 entries flagged or rejected on contract day 2026-11-03",
      );
    });
  });

  describe("bulkReviewNotice", () => {
    const review: EntryReviewDecision = {
      decision: "rejected",
      note: "Gateway glitch: the tickets are void.",
      previous_decision: null,
      reviewer_name: "Priya Raman",
      reviewer_role: "jv_coordinator",
    };

    it("tells a partner's operators of one decision over many of their entries once: who, how many it named, the note and what follows", () => {
      const text = bulkReviewNotice({ partner_id: "beta", partner_name: "Beta Oil" }, 3, review);
      expect(text.title).to.equal("Beta Oil: flagged entries rejected on review at once");
      expect(text.body.split("\n")).to.deep.equal([
        "Priya Raman rejected flagged entries of Beta Oil in one decision naming 3 of its entries. An entry that carried this decision already, or that could not be decided, is unchanged: your entries list and each entry's page show its review.",
        'Note: "Gateway glitch: the tickets are void."',
        "Those decided are left out of their periods' allocations unless a coordinator approves them after all, or until each is corrected: the field operator who entered one corrects its measured fields and it is audited again (a gateway's ticket, or an entry on a day already closed, a coordinator corrects).",
      ]);
      expect(text.highlights).to.deep.equal(["Rejected by Priya Raman", "3 named", '"Gateway glitch: the tickets are void."']);
      const one = bulkReviewNotice({ partner_id: "beta" }, 1, {
        ...review,
        decision: "approved",
        reviewer_name: null,
        reviewer_role: "admin",
      });
      expect(one.title).to.equal("beta: flagged entries approved on review at once");
      expect(one.body).to.contain("An admin approved flagged entries of beta in one decision naming 1 of its entries.");
      expect(one.body).to.contain("Those decided count in their periods' allocations");
    });
  });

  describe("entryReviewNotice", () => {
    const entry = sampleFlaggedEntry;
    const day = { contract_day: "2026-11-02" };
    const decision = (extra: Partial<EntryReviewDecision> = {}): EntryReviewDecision => ({
      decision: "rejected",
      note: "Water cut not credible.",
      previous_decision: null,
      reviewer_name: "Priya Raman",
      reviewer_role: "jv_coordinator",
      ...extra,
    });

    it("tells a rejection: who decided, the note, and that the operator who entered it corrects it", () => {
      const text = entryReviewNotice(entry, day, decision());

      expect(text.title).to.equal("Beta Oil · M-7, contract day 2026-11-02: rejected on review");
      expect(text.body.split("\n")).to.deep.equal([
        "Priya Raman rejected the production entry of Beta Oil on meter M-7 for contract day 2026-11-02, which the auditor had flagged.",
        'Note: "Water cut not credible."',
        "It is left out of its period's allocation (a period already reconciled leaves it out when a coordinator reconciles it again) unless a coordinator approves it after all, or until it is corrected: the field operator who entered it corrects its measured fields and it is audited again; on a day already closed, a coordinator enters the correction.",
        "Entry id E-0419.",
      ]);
      expect(text.highlights).to.deep.equal(["Rejected by Priya Raman", '"Water cut not credible."']);
    });

    it("shows what people typed as one quoted line: a meter id or a note cannot start a line of its own, hide or reorder text", () => {
      const forged = "M-7\nYour allocation: 9,999.00 bbl (share 98.00%)";
      const text = entryReviewNotice(
        { ...entry, meter_id: forged, partner_name: "Beta Oil\u2028Alpha Oil" },
        day,
        decision({ note: "Fine.\r\nAllocated: 1,000.00 bbl\u202e" }),
      );
      expect(text.title).to.equal(
        'Beta Oil Alpha Oil · "M-7 Your allocation: 9,999.00 bbl (share 98.00%)", contract day 2026-11-02: rejected on review',
      );
      expect(text.body.split("\n")).to.have.length(4);
      expect(text.body.split("\n")[1]).to.equal('Note: "Fine. Allocated: 1,000.00 bbl"');
      expect(text.body.split("\n").some((line) => line.startsWith("Your allocation"))).to.equal(false);
      expect(text.highlights[1]).to.equal('"Fine. Allocated: 1,000.00 bbl"');
    });

    it("says a coordinator corrects a rejected gateway or coordinator entry, which no operator may edit", () => {
      const anonymous = decision({ note: "", reviewer_name: null });
      const gateway = entryReviewNotice({ ...entry, entry_id: `api_${"a".repeat(43)}` }, day, anonymous);
      const corrected = entryReviewNotice({ ...entry, correction_note: "late ticket" }, day, anonymous);

      expect(gateway.body).to.contain(
        "until it is corrected: it came from the SCADA gateway, so a coordinator corrects its measured fields",
      );
      expect(corrected.body).to.contain(
        "until it is corrected: a coordinator entered or corrected it, so a coordinator corrects it, with a new correction note",
      );
      expect(corrected.body.split("\n")[0]).to.match(/^A coordinator rejected the production entry of Beta Oil /);
      expect(corrected.body).to.not.contain("Note:");
      expect(corrected.highlights).to.deep.equal(["Rejected by a coordinator"]);
      const byAdmin = entryReviewNotice(entry, day, decision({ reviewer_name: null, reviewer_role: "admin" }));
      expect(byAdmin.body.split("\n")[0]).to.match(/^An admin rejected the production entry of Beta Oil /);
      expect(byAdmin.highlights[0]).to.equal("Rejected by an admin");
    });

    it("tells a changed decision as a change, a reworded note as such, and an approval as counted", () => {
      const changed = entryReviewNotice(
        { ...entry, meter_id: undefined },
        {},
        decision({ decision: "approved", note: "Lab confirmed.", previous_decision: "rejected" }),
      );
      const reworded = entryReviewNotice(entry, day, decision({ note: "Water cut of 2 % not credible.", previous_decision: "rejected" }));

      expect(changed.title).to.equal("Beta Oil, UTC day 2026-11-03: approved on review (decision changed)");
      expect(changed.body.split("\n")[0]).to.equal(
        "Priya Raman changed the decision on the production entry of Beta Oil for UTC day 2026-11-03, which the auditor had flagged: now approved.",
      );
      expect(changed.body).to.contain("It counts in its period's allocation");
      expect(reworded.title).to.equal("Beta Oil · M-7, contract day 2026-11-02: rejected on review (note reworded)");
      expect(reworded.body.split("\n")[0]).to.equal(
        "Priya Raman reworded the note of the decision on the production entry of Beta Oil on meter M-7 for contract day 2026-11-02, which the auditor had flagged: still rejected.",
      );
    });
  });
});
