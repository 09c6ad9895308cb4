/** The web statement's net position lines (web/src/domain/net-position.ts) and contract-day clock (web/src/domain/contract-clock.ts). */
import { expect } from "chai";
import { carriedFor, netLedgers } from "../../../web/src/domain/net-position";
import { contractClockText, periodClockText, reportDayClock } from "../../../web/src/domain/contract-clock";

describe("a partner's net position on the web statement", () => {
  const carried = [
    { id: "r_v2_0", partner_id: "basalt", delta_bbl: -748.49, from_reconciliation_id: "r_v2" },
    { id: "r_v2_3", partner_id: "northwind", delta_bbl: 2309.42, from_reconciliation_id: "r_v2" },
    { id: "q_v3_3", partner_id: "northwind", delta_bbl: -0.07, from_reconciliation_id: "q_v3" },
  ];

  it("lists the allocation, each adjustment carried and the net, which is their sum", () => {
    const [basalt, northwind] = netLedgers(
      [
        { partner_id: "basalt", allocated_bbl: 0, adjustments_bbl: -748.49, net_bbl: -748.49 },
        { partner_id: "northwind", allocated_bbl: 2934.89, adjustments_bbl: 2309.35, net_bbl: 5244.24 },
      ],
      carried,
    );
    expect(basalt).to.deep.equal({
      partner_id: "basalt",
      allocated_cb: 0,
      adjustments: [{ id: "r_v2_0", from_reconciliation_id: "r_v2", delta_cb: -74849 }],
      net_cb: -74849,
      adds_up: true,
    });
    expect(northwind!.adjustments.map((a) => a.delta_cb)).to.deep.equal([230942, -7]);
    expect(northwind!.allocated_cb + northwind!.adjustments.reduce((s, a) => s + a.delta_cb, 0)).to.equal(northwind!.net_cb);
    expect(northwind!.adds_up).to.equal(true);
  });

  it("finds a partner's carried adjustments also when they offset one another", () => {
    const offsetting = [
      { id: "a", partner_id: "kestrel", delta_bbl: 5, from_reconciliation_id: "r_v2" },
      { id: "b", partner_id: "kestrel", delta_bbl: -5, from_reconciliation_id: "q_v2" },
      ...carried,
    ];
    expect(carriedFor(offsetting, "kestrel").map((a) => a.id)).to.deep.equal(["a", "b"]);
    expect(carriedFor(offsetting, "sable")).to.deep.equal([]);
    expect(carriedFor(undefined, "kestrel")).to.deep.equal([]);
  });

  it("says when the report's net is not the sum of its lines", () => {
    const [n] = netLedgers([{ partner_id: "northwind", allocated_bbl: 2934.89, adjustments_bbl: 2309.35, net_bbl: 5244.31 }], carried);
    expect(n!.adds_up).to.equal(false);
  });
});

describe("the contract-day clock beside a period", () => {
  const current = { contract_day_start_hour: 0, utc_offset_minutes: 0 };

  it("takes the clock the report records, else the UTC day of the versions made before settings existed, and says which", () => {
    expect(reportDayClock({ contract_day_start_hour: 6, utc_offset_minutes: 60 })).to.deep.equal({
      clock: { contract_day_start_hour: 6, utc_offset_minutes: 60 },
      recorded: true,
    });
    expect(reportDayClock(undefined)).to.deep.equal({ clock: current, recorded: false });
    expect(reportDayClock({ contract_day_start_hour: 6 })).to.deep.equal({ clock: current, recorded: false });
  });

  it("gives the period's bounds on the local clock", () => {
    const clock = { contract_day_start_hour: 6, utc_offset_minutes: 60 };
    expect(periodClockText(new Date("2026-09-01T05:00:00Z"), new Date("2026-10-31T05:00:00Z"), clock, "recorded")).to.equal(
      "Each contract day starts at 06:00 at UTC+01:00 (05:00 UTC), as recorded on this version: the period runs from 06:00 on 2026-09-01 to 06:00 on 2026-10-31 (UTC+01:00).",
    );
    expect(periodClockText(new Date("2026-09-01T00:00:00Z"), new Date("2026-09-02T00:00:00Z"), current, "not recorded")).to.equal(
      "Each contract day starts at 00:00 at UTC+00:00, as for every version made before the JV settings existed (this one does not record its contract day): the period runs from 00:00 on 2026-09-01 to 00:00 on 2026-09-02 (UTC+00:00).",
    );
    expect(contractClockText({ contract_day_start_hour: 6, utc_offset_minutes: -210 }, "settings")).to.equal(
      "Each contract day starts at 06:00 at UTC\u221203:30 (09:30 UTC), per the JV settings.",
    );
  });
});
