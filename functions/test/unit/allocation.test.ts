import { expect } from "chai";
import fc from "fast-check";
import { allocateProRata, sharePercent, type PartnerNsv } from "../../src/domain/allocation";

const total = (rows: { allocated_cb: number }[]): number => rows.reduce((sum, r) => sum + r.allocated_cb, 0);
const allocated = (rows: { allocated_cb: number }[]): number[] => rows.map((r) => r.allocated_cb);

describe("allocateProRata", () => {
  it("allocates a three-partner example checked by hand", () => {
    // terminal 9,771.90 bbl = 977190 cb; field A 4,123.45 + B 3,210.98 + C 2,666.66 = 10,001.09 bbl = 1000109 cb
    //   A: 977190 × 412345 = 402939410550; / 1000109 = 402895 rest 494995
    //   B: 977190 × 321098 = 313773754620; / 1000109 = 313739 rest 557069
    //   C: 977190 × 266666 = 260583348540; / 1000109 = 260554 rest 948154
    // floors sum to 977188: 2 cb left over, to the largest remainders C (948154), then B (557069).
    const rows = allocateProRata(977190, [
      { partner_id: "A", nsv_cb: 412345 },
      { partner_id: "B", nsv_cb: 321098 },
      { partner_id: "C", nsv_cb: 266666 },
    ]);
    expect(rows).to.deep.equal([
      { partner_id: "A", allocated_cb: 402895 },
      { partner_id: "B", allocated_cb: 313740 },
      { partner_id: "C", allocated_cb: 260555 },
    ]);
    expect(total(rows)).to.equal(977190);
  });

  it("returns rows in input order, not in priority or id order", () => {
    const rows = allocateProRata(977190, [
      { partner_id: "C", nsv_cb: 266666 },
      { partner_id: "A", nsv_cb: 412345 },
      { partner_id: "B", nsv_cb: 321098 },
    ]);
    expect(rows.map((r) => r.partner_id)).to.deep.equal(["C", "A", "B"]);
    expect(allocated(rows)).to.deep.equal([260555, 402895, 313740]);
  });

  describe("tie-breaks", () => {
    it("first by the larger remainder, even against a larger NSV and a smaller id", () => {
      // T 7, F 10: "a" 7×6/10 = 4.2, "b" 7×4/10 = 2.8 → floors 4 + 2, 1 left → "b" (0.8 > 0.2)
      expect(
        allocated(
          allocateProRata(7, [
            { partner_id: "a", nsv_cb: 6 },
            { partner_id: "b", nsv_cb: 4 },
          ]),
        ),
      ).to.deep.equal([4, 3]);
    });

    it("then by the larger partner NSV, even against a smaller id", () => {
      // T 5, F 10: "a" 5×1/10 = 0.5, "b" 5×3/10 = 1.5, "c" 5×6/10 = 3.0
      // floors 0 + 1 + 3 = 4, 1 left; "a" and "b" tie on 0.5 → "b" has the larger NSV
      expect(
        allocated(
          allocateProRata(5, [
            { partner_id: "a", nsv_cb: 1 },
            { partner_id: "b", nsv_cb: 3 },
            { partner_id: "c", nsv_cb: 6 },
          ]),
        ),
      ).to.deep.equal([0, 2, 3]);
    });

    it("then by the smaller partner_id", () => {
      // T 1, F 10: both 0.5, same NSV → "a" before "b", wherever it is listed
      expect(
        allocateProRata(1, [
          { partner_id: "b", nsv_cb: 5 },
          { partner_id: "a", nsv_cb: 5 },
        ]),
      ).to.deep.equal([
        { partner_id: "b", allocated_cb: 0 },
        { partner_id: "a", allocated_cb: 1 },
      ]);
    });

    it("compares partner_ids by UTF-16 code unit, not by locale", () => {
      // "B" (0x42) < "a" (0x61), though a locale order puts "a" first
      expect(
        allocated(
          allocateProRata(1, [
            { partner_id: "a", nsv_cb: 5 },
            { partner_id: "B", nsv_cb: 5 },
          ]),
        ),
      ).to.deep.equal([0, 1]);
      // U+1F600 is stored as 0xD83D 0xDE00, below U+FF5E, though its code point is above
      expect(
        allocated(
          allocateProRata(1, [
            { partner_id: "\uFF5E", nsv_cb: 5 },
            { partner_id: "\u{1F600}", nsv_cb: 5 },
          ]),
        ),
      ).to.deep.equal([0, 1]);
      // "p10" < "p9": plain string order, not numeric
      expect(
        allocated(
          allocateProRata(1, [
            { partner_id: "p9", nsv_cb: 5 },
            { partner_id: "p10", nsv_cb: 5 },
          ]),
        ),
      ).to.deep.equal([0, 1]);
    });
  });

  it("gives a single partner the whole terminal", () => {
    expect(allocateProRata(977190, [{ partner_id: "solo", nsv_cb: 1_000_000 }])).to.deep.equal([
      { partner_id: "solo", allocated_cb: 977190 },
    ]);
  });

  it("allocates a gain (terminal above field NSV) pro rata", () => {
    // field 600.00 + 400.00 = 1,000.00 bbl, terminal 1,010.00 bbl: 60 % and 40 % of 101000 cb
    expect(
      allocated(
        allocateProRata(101000, [
          { partner_id: "A", nsv_cb: 60000 },
          { partner_id: "B", nsv_cb: 40000 },
        ]),
      ),
    ).to.deep.equal([60600, 40400]);
  });

  it("gives a zero-NSV partner nothing, even when it would win every tie-break", () => {
    // T 100, F 300: "a" 0, "b" 33.33…, "c" 66.66… → floors 0 + 33 + 66, 1 left → "c" (remainder 2/3)
    expect(
      allocated(
        allocateProRata(100, [
          { partner_id: "a", nsv_cb: 0 },
          { partner_id: "b", nsv_cb: 100 },
          { partner_id: "c", nsv_cb: 200 },
        ]),
      ),
    ).to.deep.equal([0, 33, 67]);
  });

  it("gives everyone zero for a zero terminal, also when every partner is zero", () => {
    expect(
      allocated(
        allocateProRata(0, [
          { partner_id: "a", nsv_cb: 10 },
          { partner_id: "b", nsv_cb: 20 },
        ]),
      ),
    ).to.deep.equal([0, 0]);
    expect(
      allocated(
        allocateProRata(0, [
          { partner_id: "a", nsv_cb: 0 },
          { partner_id: "b", nsv_cb: 0 },
        ]),
      ),
    ).to.deep.equal([0, 0]);
  });

  it("returns no rows for no partners and a zero terminal", () => {
    expect(allocateProRata(0, [])).to.deep.equal([]);
  });

  it("refuses a positive terminal with nothing to prorate on", () => {
    expect(() => allocateProRata(100, [])).to.throw(RangeError, /nothing to prorate on/);
    expect(() => allocateProRata(100, [{ partner_id: "a", nsv_cb: 0 }])).to.throw(RangeError, /nothing to prorate on/);
  });

  it("refuses negative, fractional and unsafe volumes and duplicate partners", () => {
    const one = [{ partner_id: "a", nsv_cb: 1 }];
    expect(() => allocateProRata(-1, one)).to.throw(RangeError, /terminal NSV/);
    expect(() => allocateProRata(1.5, one)).to.throw(RangeError, /terminal NSV/);
    expect(() => allocateProRata(Number.NaN, one)).to.throw(RangeError);
    expect(() => allocateProRata(2 ** 53, one)).to.throw(RangeError);
    expect(() => allocateProRata(1, [{ partner_id: "a", nsv_cb: -5 }])).to.throw(RangeError, /partner a/);
    expect(() => allocateProRata(1, [{ partner_id: "a", nsv_cb: 0.5 }])).to.throw(RangeError, /partner a/);
    expect(() =>
      allocateProRata(1, [
        { partner_id: "a", nsv_cb: 1 },
        { partner_id: "a", nsv_cb: 2 },
      ]),
    ).to.throw(RangeError, /twice/);
  });

  it("is exact at 100,000-entry magnitudes, where floating point picks the wrong partner", () => {
    // field 100,000,000.00 bbl (100,000 entries of 1,000 bbl) = 1e10 cb, terminal one cb more.
    // T × n = (F + 1) × n = n × F + n, so each quota is n + n/F: floors n, remainders n,
    // 1 cb left over → the largest NSV, B. In doubles, 4e9 × (1e10 + 1) ≈ 4e19 has a
    // spacing of 8192, so A's and B's fractional parts (0.4 and 0.4000000001) blur,
    // and a float implementation hands the cent-barrel to A.
    const rows = allocateProRata(10_000_000_001, [
      { partner_id: "A", nsv_cb: 4_000_000_000 },
      { partner_id: "B", nsv_cb: 4_000_000_001 },
      { partner_id: "C", nsv_cb: 1_999_999_999 },
    ]);
    expect(allocated(rows)).to.deep.equal([4_000_000_000, 4_000_000_002, 1_999_999_999]);
    expect(total(rows)).to.equal(10_000_000_001);
  });

  it("allocates among thousands of partners by id when everything else ties", () => {
    // 3,000 partners of 0.01 bbl each share 10.00 bbl: every quota is 1/3, floors 0,
    // the 1,000 cb go to the 1,000 smallest ids.
    const partners = Array.from({ length: 3000 }, (_, i) => ({ partner_id: `p${String(i).padStart(4, "0")}`, nsv_cb: 1 }));
    const rows = allocateProRata(1000, partners);
    expect(total(rows)).to.equal(1000);
    rows.forEach((row, i) => expect(row.allocated_cb, row.partner_id).to.equal(i < 1000 ? 1 : 0));
  });

  it("keeps 5,000 uneven partners exact and within 1 cb of their share", () => {
    const partners = Array.from({ length: 5000 }, (_, i) => ({ partner_id: `p${i}`, nsv_cb: ((i * 7919) % 100_000) * 1013 + 1 }));
    const field = partners.reduce((sum, p) => sum + BigInt(p.nsv_cb), 0n);
    const terminal = Number(field) - 1_234_567;
    const rows = allocateProRata(terminal, partners);
    expect(total(rows)).to.equal(terminal);
    rows.forEach((row, i) => {
      const gap = BigInt(row.allocated_cb) * field - BigInt(terminal) * BigInt(partners[i]!.nsv_cb);
      expect(gap < field && -gap < field, row.partner_id).to.equal(true);
    });
  });

  describe("properties", () => {
    const volume = fc.oneof(fc.nat({ max: 1000 }), fc.nat({ max: 2_000_000_000 }), fc.nat({ max: 10_000_000_000_000 }));
    const partnersArb = fc
      .uniqueArray(fc.record({ partner_id: fc.string({ minLength: 1, maxLength: 4 }), nsv_cb: volume }), {
        selector: (p) => p.partner_id,
        minLength: 1,
        maxLength: 25,
      })
      .filter((ps) => ps.some((p) => p.nsv_cb > 0));
    const fieldOf = (ps: PartnerNsv[]): bigint => ps.reduce((sum, p) => sum + BigInt(p.nsv_cb), 0n);

    it("sums exactly to the terminal", () => {
      fc.assert(
        fc.property(volume, partnersArb, (terminal, partners) => {
          expect(total(allocateProRata(terminal, partners))).to.equal(terminal);
        }),
        { numRuns: 500 },
      );
    });

    it("keeps every partner within 1 cb of its exact pro-rata share", () => {
      fc.assert(
        fc.property(volume, partnersArb, (terminal, partners) => {
          const field = fieldOf(partners);
          allocateProRata(terminal, partners).forEach((row, i) => {
            // |allocated − T × n / F| < 1  ⇔  |allocated × F − T × n| < F
            const gap = BigInt(row.allocated_cb) * field - BigInt(terminal) * BigInt(partners[i]!.nsv_cb);
            expect(gap < field && -gap < field).to.equal(true);
          });
        }),
        { numRuns: 500 },
      );
    });

    it("gives zero-NSV partners nothing", () => {
      fc.assert(
        fc.property(volume, partnersArb, (terminal, partners) => {
          allocateProRata(terminal, partners).forEach((row, i) => {
            if (partners[i]!.nsv_cb === 0) expect(row.allocated_cb).to.equal(0);
          });
        }),
        { numRuns: 300 },
      );
    });

    it("never gives a larger NSV less than a smaller one", () => {
      fc.assert(
        fc.property(volume, partnersArb, (terminal, partners) => {
          const rows = allocateProRata(terminal, partners);
          for (let i = 0; i < partners.length; i += 1) {
            for (let j = 0; j < partners.length; j += 1) {
              if (partners[i]!.nsv_cb > partners[j]!.nsv_cb) {
                expect(rows[i]!.allocated_cb).to.be.at.least(rows[j]!.allocated_cb);
              }
            }
          }
        }),
        { numRuns: 300 },
      );
    });

    it("is monotone: a partner whose NSV grows, all else equal, never gets less", () => {
      fc.assert(
        fc.property(volume, partnersArb, fc.nat(), volume, (terminal, partners, pick, growth) => {
          const i = pick % partners.length;
          const grown = partners.map((p, k) => (k === i ? { ...p, nsv_cb: p.nsv_cb + growth + 1 } : p));
          const before = allocateProRata(terminal, partners)[i]!.allocated_cb;
          const after = allocateProRata(terminal, grown)[i]!.allocated_cb;
          expect(after).to.be.at.least(before);
        }),
        { numRuns: 500 },
      );
    });
  });
});

describe("sharePercent", () => {
  it("is the share of field NSV rounded to 5 decimals", () => {
    expect(sharePercent(412345, 1000109)).to.equal(41.23001); // 41.2300059…
    expect(sharePercent(321098, 1000109)).to.equal(32.1063); // 32.1063004…
    expect(sharePercent(1, 3)).to.equal(33.33333);
    expect(sharePercent(2, 3)).to.equal(66.66667);
    expect(sharePercent(5, 5)).to.equal(100);
  });

  it("rounds an exact half to even", () => {
    expect(sharePercent(1, 20_000_000)).to.equal(0); // 0.000005 → 0.00000
    expect(sharePercent(3, 20_000_000)).to.equal(0.00002); // 0.000015 → 0.00002
  });

  it("is 0 for a zero field and refuses a partner above the field", () => {
    expect(sharePercent(0, 0)).to.equal(0);
    expect(() => sharePercent(2, 1)).to.throw(RangeError);
    expect(() => sharePercent(-1, 1)).to.throw(RangeError);
  });
});
