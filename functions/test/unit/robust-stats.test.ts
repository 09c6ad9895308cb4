import { expect } from "chai";
import fc from "fast-check";
import { AUDIT_CONFIG, type StatisticsConfig } from "../../src/domain/audit-config";
import {
  holdsEnoughHistory,
  MAD_Z_FACTOR,
  MEAN_AD_SIGMA_FACTOR,
  meanAbsoluteDeviation,
  median,
  medianAbsoluteDeviation,
  type MetricValues,
  modifiedZScore,
  OUTLIER_CODES,
  scoreAgainstHistory,
  scoreMetric,
  STAT_METRICS,
} from "../../src/domain/robust-stats";

const CONFIG: StatisticsConfig = AUDIT_CONFIG.statistics;
const NO_FLOOR = { absolute: 1e-9, relative: 0 };

function row(gross: number, bsw = 0.4, temp = 86, api = 35): MetricValues {
  return { gross_volume_bbl: gross, bsw_percent: bsw, temperature_degF: temp, api_gravity: api };
}

describe("median", () => {
  it("is the middle value of an odd count and the mean of the two middle values of an even count", () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
    expect(median([7])).to.equal(7);
    expect(median([-1, -5, 10, 2, 2])).to.equal(2);
  });

  it("sorts numerically, not as text, and leaves its input alone", () => {
    const values = [10, 9, 100, 1];
    expect(median(values)).to.equal(9.5);
    expect(values).to.deep.equal([10, 9, 100, 1]);
  });

  it("refuses an empty list", () => {
    expect(() => median([])).to.throw(RangeError);
  });
});

describe("medianAbsoluteDeviation and meanAbsoluteDeviation", () => {
  it("MAD is the median of absolute deviations from the median, untouched by one wild value", () => {
    // median 3; deviations 2, 1, 0, 1, 97 → sorted 0, 1, 1, 2, 97 → 1
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).to.equal(1);
    // median 5000; deviations 0, 100, 100, 50, 50 → 50
    expect(medianAbsoluteDeviation([5000, 5100, 4900, 5050, 4950])).to.equal(50);
  });

  it("MAD is 0 when more than half the values sit on the median", () => {
    expect(medianAbsoluteDeviation([35, 35, 35, 35, 36, 38])).to.equal(0);
  });

  it("mean absolute deviation averages the distances from the given center", () => {
    expect(meanAbsoluteDeviation([35, 35, 35, 35, 36, 38], 35)).to.equal(4 / 6);
    expect(() => meanAbsoluteDeviation([], 0)).to.throw(RangeError);
  });
});

describe("modifiedZScore", () => {
  it("is 0.6745 (x − median) / MAD", () => {
    expect(modifiedZScore(10, 3, 1)).to.equal(0.6745 * 7);
    expect(modifiedZScore(5300, 5000, 50)).to.be.closeTo(4.047, 1e-12);
    expect(modifiedZScore(4700, 5000, 50)).to.be.closeTo(-4.047, 1e-12);
  });

  it("refuses a MAD of 0 (the caller must choose a fallback)", () => {
    expect(() => modifiedZScore(1, 1, 0)).to.throw(RangeError);
  });
});

describe("scoreMetric", () => {
  const volumes = [5000, 5100, 4900, 5050, 4950];
  const volumeFloor = CONFIG.spreadFloor.gross_volume_bbl;

  it("uses MAD when the history varies more than the floor", () => {
    const score = scoreMetric(5300, volumes, volumeFloor);
    expect(score).to.deep.equal({
      value: 5300,
      median: 5000,
      mad: 50,
      scale: 50 / MAD_Z_FACTOR,
      basis: "mad",
      z: (0.6745 * 300) / 50,
    });
  });

  it("falls back to 1.253314 × mean absolute deviation when MAD = 0", () => {
    // median 35, MAD 0, mean absolute deviation 4/6 → scale 0.835543
    const score = scoreMetric(38.5, [35, 35, 35, 35, 36, 38], CONFIG.spreadFloor.api_gravity);
    expect(score.basis).to.equal("mean_ad");
    expect(score.mad).to.equal(0);
    expect(score.scale).to.equal(MEAN_AD_SIGMA_FACTOR * (4 / 6));
    expect(score.z).to.be.closeTo(3.5 / 0.8355427, 1e-6);
  });

  it("falls back to the floor when every history value is the same, and still gives a finite z", () => {
    const flat = [35, 35, 35, 35, 35];
    const floor = CONFIG.spreadFloor.api_gravity.absolute;
    expect(scoreMetric(35, flat, CONFIG.spreadFloor.api_gravity)).to.include({ basis: "floor", scale: floor, z: 0 });
    expect(scoreMetric(35.6, flat, CONFIG.spreadFloor.api_gravity).z).to.be.closeTo(0.6 / floor, 1e-9);
  });

  it("uses the floor when the MAD is below the reading resolution", () => {
    // median 35.0, MAD 0.1 → MAD/0.6745 = 0.148 < 0.2 °API floor
    const history = [35.0, 35.1, 34.9, 35.0, 35.1, 34.9, 35.0];
    const score = scoreMetric(35.6, history, CONFIG.spreadFloor.api_gravity);
    expect(score.basis).to.equal("floor");
    expect(score.z).to.be.closeTo(3.0, 1e-9);
    // without the floor the same reading would be an outlier
    expect(scoreMetric(35.6, history, NO_FLOOR).z).to.be.greaterThan(CONFIG.zThreshold);
  });

  it("scales the volume floor with the median (1 % of it)", () => {
    const score = scoreMetric(1036, [1000, 1000, 1000, 1000, 1000], volumeFloor);
    expect(score).to.include({ basis: "floor", scale: 10 });
    expect(score.z).to.be.closeTo(3.6, 1e-9);
  });

  it("gives a deterministic finite z even with a zero floor and a flat history", () => {
    const zero = { absolute: 0, relative: 0 };
    expect(scoreMetric(5, [5, 5, 5], zero).z).to.equal(0);
    expect(scoreMetric(6, [5, 5, 5], zero).z).to.equal(Number.MAX_VALUE);
    expect(scoreMetric(4, [5, 5, 5], zero).z).to.equal(-Number.MAX_VALUE);
  });

  it("always returns a finite z for finite inputs (property)", () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    fc.assert(
      fc.property(finite, fc.array(finite, { minLength: 1, maxLength: 40 }), (value, history) =>
        Number.isFinite(scoreMetric(value, history, volumeFloor).z),
      ),
    );
  });
});

describe("scoreAgainstHistory", () => {
  const history = [
    row(5000, 0.4, 86, 35.2),
    row(5100, 0.5, 88, 35.0),
    row(4900, 0.3, 84, 35.4),
    row(5050, 0.45, 87, 35.1),
    row(4950, 0.35, 85, 35.3),
  ];

  it("ships positive spread floors for every metric", () => {
    for (const metric of STAT_METRICS) expect(CONFIG.spreadFloor[metric].absolute).to.be.greaterThan(0);
  });

  it("scores all four metrics against the history with hand-computed medians and MADs", () => {
    const { stats, reasons } = scoreAgainstHistory(row(5020, 0.4, 86, 35.2), history, CONFIG);
    expect(reasons).to.deep.equal([]);
    expect(stats).to.include({ n: 5, window: 30, min_history: 5, enough_history: true, z_threshold: 3.5 });
    const metrics = stats.metrics!;
    expect(metrics.gross_volume_bbl).to.include({ median: 5000, mad: 50, basis: "mad" });
    expect(metrics.gross_volume_bbl.z).to.be.closeTo((0.6745 * 20) / 50, 1e-12);
    // BS&W: median 0.4, deviations 0, .1, .1, .05, .05 → MAD 0.05 → scale 0.0741 < 0.1 floor
    expect(metrics.bsw_percent).to.include({ median: 0.4, basis: "floor", scale: 0.1 });
    expect(metrics.bsw_percent.mad).to.be.closeTo(0.05, 1e-12);
    // temperature: median 86, deviations 0, 2, 2, 1, 1 → MAD 1 → scale 1.4826 ≥ 1 °F floor
    expect(metrics.temperature_degF).to.include({ median: 86, mad: 1, basis: "mad", z: 0 });
    // API: median 35.2, MAD 0.1 → floor 0.2
    expect(metrics.api_gravity).to.include({ median: 35.2, basis: "floor", z: 0 });
  });

  it("raises one warning per outlying metric, naming the value, the median and the z-score", () => {
    const { reasons } = scoreAgainstHistory(row(5300, 0.4, 86, 36.1), history, CONFIG);
    expect(reasons.map((r) => [r.code, r.field, r.severity])).to.deep.equal([
      [OUTLIER_CODES.gross_volume_bbl, "gross_volume_bbl", "warning"],
      [OUTLIER_CODES.api_gravity, "api_gravity", "warning"],
    ]);
    expect(reasons[0].message).to.equal(
      "Gross volume 5300 bbl is far above this partner's last 5 accepted entries (median 5000 bbl; " +
        "robust z-score 4, outlier beyond ±3.5). " +
        "Check the meter reading, its units and that the entry covers a single day.",
    );
    expect(reasons[1].message).to.include("36.1 °API").and.include("median 35.2 °API").and.include("4.5");
  });

  it("quotes the entry's figure as entered, every decimal of it", () => {
    const { reasons } = scoreAgainstHistory(row(5000, 1.004, 86, 35.2), history, CONFIG);
    expect(reasons.map((r) => r.code)).to.deep.equal([OUTLIER_CODES.bsw_percent]);
    expect(reasons[0].message)
      .to.match(/^BS&W 1\.004 % is far above/)
      .and.include("median 0.4 %");
  });

  it("flags low outliers as below", () => {
    const { reasons } = scoreAgainstHistory(row(4600), history, CONFIG);
    expect(reasons).to.have.length(1);
    expect(reasons[0].message).to.include("far below");
    // A negative score with the statements' minus sign (U+2212), not a hyphen.
    expect(reasons[0].message)
      .to.match(/robust z-score \u2212\d/)
      .and.not.match(/-\d/);
  });

  it("does not flag a |z| equal to the threshold, and flags just above it", () => {
    const atThreshold = { ...CONFIG, zThreshold: modifiedZScore(5250, 5000, 50) };
    expect(scoreAgainstHistory(row(5250), history, atThreshold).reasons).to.deep.equal([]);
    expect(scoreAgainstHistory(row(5250.01), history, atThreshold).reasons).to.have.length(1);
  });

  it("counts nothing with less than the minimum history, however odd the entry", () => {
    const result = scoreAgainstHistory(row(50_000, 4, 150, 60), history.slice(0, 4), CONFIG);
    expect(result.reasons).to.deep.equal([]);
    expect(result.stats).to.deep.equal({
      n: 4,
      scope: "partner",
      window: 30,
      min_history: 5,
      enough_history: false,
      z_threshold: 3.5,
      metrics: null,
    });
  });

  it("counts from exactly the minimum history", () => {
    const result = scoreAgainstHistory(row(50_000), history.slice(0, 5), CONFIG);
    expect(result.stats.enough_history).to.equal(true);
    expect(result.reasons.map((r) => r.field)).to.deep.equal(["gross_volume_bbl"]);
  });

  it("with no history at all reports n = 0 and nothing else", () => {
    const result = scoreAgainstHistory(row(5000), [], CONFIG);
    expect(result.stats).to.include({ n: 0, enough_history: false });
    expect(result.reasons).to.deep.equal([]);
  });

  it("skips history rows with a non-finite figure, and they do not count towards the minimum", () => {
    const broken = [...history.slice(0, 4), row(Number.NaN), row(5000, Infinity)];
    const result = scoreAgainstHistory(row(50_000), broken, CONFIG);
    expect(result.stats).to.include({ n: 4, enough_history: false });
  });

  it("uses only the first `window` rows (the newest) if handed more", () => {
    const newestFirst = Array.from({ length: 30 }, (_, i) => row(1000 + i * 10));
    const result = scoreAgainstHistory(row(1145), [...newestFirst, row(1300)], CONFIG);
    expect(result.stats.n).to.equal(30);
    expect(result.stats.metrics!.gross_volume_bbl.median).to.equal(1145);
    expect(result.stats.metrics!.gross_volume_bbl.z).to.equal(0);
  });

  it("follows the window and minimum of the config it is given", () => {
    const small = { ...CONFIG, window: 3, minHistory: 3 };
    const result = scoreAgainstHistory(row(5000), history, small);
    expect(result.stats).to.include({ n: 3, window: 3, min_history: 3, enough_history: true });
    expect(result.stats.metrics!.gross_volume_bbl.median).to.equal(5000);
  });

  it("says whose history it compared with: the meter's or the partner's", () => {
    const meter = scoreAgainstHistory(row(50_000), history, CONFIG, "meter");
    expect(meter.stats.scope).to.equal("meter");
    expect(meter.reasons[0].message).to.contain("far above this meter's last 5 accepted entries");
    const partner = scoreAgainstHistory(row(50_000), history, CONFIG);
    expect(partner.stats.scope).to.equal("partner");
    expect(partner.reasons[0].message).to.contain("far above this partner's last 5 accepted entries");
  });

  it("holds enough history from the minimum of usable rows within the window", () => {
    expect(holdsEnoughHistory(history.slice(0, 4), CONFIG)).to.equal(false);
    expect(holdsEnoughHistory(history.slice(0, 5), CONFIG)).to.equal(true);
    // A row with a non-finite figure does not count.
    expect(holdsEnoughHistory([...history.slice(0, 4), row(NaN)], CONFIG)).to.equal(false);
    // Nor does a row past the window.
    expect(holdsEnoughHistory(history.slice(0, 5), { ...CONFIG, window: 4 })).to.equal(false);
  });

  it("is deterministic: the same inputs give the same result", () => {
    const a = scoreAgainstHistory(row(5300, 0.9, 95, 34), history, CONFIG);
    const b = scoreAgainstHistory(row(5300, 0.9, 95, 34), [...history], CONFIG);
    expect(a).to.deep.equal(b);
  });
});
