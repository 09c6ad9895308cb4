import { expect } from "chai";
import { measureFields } from "../../src/domain/measured-fields";
import { periodDays, terminalReceiptSchema } from "../../src/domain/terminal-receipt";

const valid = {
  period_start: new Date("2026-10-01T00:00:00Z"),
  period_end: new Date("2026-11-01T00:00:00Z"),
  gross_volume_bbl: 10_000,
  bsw_percent: 0.5,
  temperature_degF: 100,
  api_gravity: 30,
};

describe("terminal receipt", () => {
  it("defaults a missing pressure to 0 psig and meter factor to 1, reads a null terminal name as none (the rules allow it), and accepts Timestamp-like dates", () => {
    const parsed = terminalReceiptSchema.parse({
      ...valid,
      period_start: { toDate: () => valid.period_start },
      pressure_psig: null,
      terminal_name: null,
    });
    expect(parsed.terminal_name).to.equal(undefined);
    expect(parsed.pressure_psig).to.equal(0);
    expect(parsed.meter_factor).to.equal(1);
    expect(parsed.period_start.toISOString()).to.equal("2026-10-01T00:00:00.000Z");
  });

  it("refuses a period that ends before it starts, one over 366 days, and bad numbers, naming each field", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ period_end: new Date("2026-09-01T00:00:00Z") }, "period_start must be before period_end"],
      [{ period_end: new Date("2027-10-03T00:00:00Z") }, "at most 366 days"],
      [{ gross_volume_bbl: 0 }, "gross_volume_bbl"],
      [{ bsw_percent: 100 }, "bsw_percent"],
      [{ api_gravity: "30" }, "api_gravity"],
      [{ temperature_degF: Number.NaN }, "temperature_degF"],
      [{ period_start: "2026-10-01" }, "period_start"],
    ];
    for (const [change, expected] of cases) {
      const result = terminalReceiptSchema.safeParse({ ...valid, ...change });
      expect(result.success, JSON.stringify(change)).to.equal(false);
      const text = result.success ? "" : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      expect(text).to.contain(expected);
    }
  });

  it("lists every UTC day the period touches, end exclusive", () => {
    expect(periodDays(new Date("2026-10-30T00:00:00Z"), new Date("2026-11-02T00:00:00Z"))).to.deep.equal([
      "2026-10-30",
      "2026-10-31",
      "2026-11-01",
    ]);
    expect(periodDays(new Date("2026-10-30T12:00:00Z"), new Date("2026-10-31T00:00:01Z"))).to.deep.equal(["2026-10-30", "2026-10-31"]);
    expect(periodDays(valid.period_start, valid.period_end)).to.have.length(31);
  });

  it("measures a receipt at 60 °F to a net standard volume checkable by hand", () => {
    // 10,000 bbl at 60 °F and API 30.0: CTL 1, CSW 0.99500 -> NSV 9,950.00 bbl.
    const nsv = measureFields({ gross_volume_bbl: 10_000, api_gravity: 30, temperature_degF: 60, bsw_percent: 0.5 });
    expect([nsv.api60, nsv.ctl, nsv.cpl, nsv.csw, nsv.gsvBbl, nsv.nsvBbl]).to.deep.equal([30, 1, 1, 0.995, 10_000, 9_950]);
  });
});
