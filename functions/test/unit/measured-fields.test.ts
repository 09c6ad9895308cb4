import { expect } from "chai";
import { measureFields, nsvFigures } from "../../src/domain/measured-fields";

describe("measured fields (an entry's or a receipt's)", () => {
  it("takes the API gravity as read at the line temperature: Table 5A first, then Table 6A", () => {
    // At 100 °F with API 30.0 read at 100 °F: API60 27.2 (Table 5A), then CTL at 100 °F.
    const nsv = measureFields({
      gross_volume_bbl: 10_000,
      api_gravity: 30,
      temperature_degF: 100,
      bsw_percent: 0.5,
      pressure_psig: null,
      meter_factor: null,
    });
    expect(nsv.api60).to.equal(27.2);
    expect(nsv.ctl).to.equal(0.98271);
    expect([nsv.gsvBbl, nsv.nsvBbl]).to.deep.equal([9827.1, 9777.96]);
  });

  it("gives the stored figures, or undefined (not an exception) outside the standard's range", () => {
    expect(nsvFigures({ gross_volume_bbl: 1000, api_gravity: 30, temperature_degF: 60, bsw_percent: 0.5 })).to.deep.equal({
      api60: 30,
      ctl: 1,
      cpl: 1,
      ctpl: 1,
      csw: 0.995,
      gsv_bbl: 1000,
      nsv_bbl: 995,
    });
    expect(nsvFigures({ gross_volume_bbl: 1000, api_gravity: 30, temperature_degF: 857, bsw_percent: 0.5 })).to.equal(undefined);
  });
});
