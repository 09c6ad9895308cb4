import { expect } from "chai";
import { createHash } from "node:crypto";
import {
  hashSchemeOf,
  INTEGRITY_HASH_EXCLUDED_FIELDS,
  InputsDigest,
  integrityHash,
  partnerSalt,
  REPORT_HASH_V1,
  REPORT_HASH_V2,
  sealRows,
  sha256Hex,
} from "../../src/domain/report-hash";
import { sampleReport } from "../support/sample-report";
import { canonicalJson } from "../../src/domain/canonical-json";

// Expected digests below come from `printf '…' | sha256sum`, outside this code base.

describe("sha256Hex", () => {
  it("matches published and independently computed digests", () => {
    expect(sha256Hex("abc")).to.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); // FIPS 180-2 example
    expect(sha256Hex("")).to.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("hashes the UTF-8 encoding", () => {
    // "é" is 0xC3 0xA9 in UTF-8
    expect(sha256Hex("é")).to.equal("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
  });
});

describe("integrityHash", () => {
  const report = {
    b: 2,
    a: "x",
    integrity_hash: "the stored hash is not hashed",
    status: "completed",
  };

  it("is the sha256 of the canonical report without the hash and lifecycle fields", () => {
    // printf '{"a":"x","b":2}' | sha256sum
    expect(integrityHash(report)).to.equal("768ca668c0f84dd39bf269e25c9a3f0af4812e41026b6fead9a2666078ef16f6");
  });

  it("survives supersession: status and superseded_by do not count", () => {
    expect(integrityHash({ ...report, status: "superseded", superseded_by: "r1_v2" })).to.equal(integrityHash(report));
  });

  it("does not depend on key order", () => {
    expect(integrityHash({ status: "completed", a: "x", b: 2 })).to.equal(integrityHash(report));
  });

  it("changes when any figure changes, by as little as a cent-barrel", () => {
    const stored = {
      inputs_digest: "d".repeat(64),
      totals: { terminal_nsv_bbl: 9771.9 },
      allocations: [{ partner_id: "A", allocated_bbl: 4028.95 }],
    };
    const base = integrityHash(stored);
    expect(integrityHash({ ...stored, allocations: [{ partner_id: "A", allocated_bbl: 4028.96 }] })).to.not.equal(base);
    expect(integrityHash({ ...stored, totals: { terminal_nsv_bbl: 9771.91 } })).to.not.equal(base);
    expect(integrityHash({ ...stored, inputs_digest: "e".repeat(64) })).to.not.equal(base);
  });

  it("refuses a report that is not plain data", () => {
    expect(() => integrityHash({ totals: { shrinkage_percent: Number.NaN } })).to.throw(TypeError);
  });
});

describe("InputsDigest v1 (reports of hash scheme v1)", () => {
  const receipt = { gross_volume_bbl: 10000, bsw_percent: 0.5, temperature_degF: 100, api_gravity: 30 };
  // printf 'flowshare/inputs-digest/v1\n{"entry_id":"e1",…}\n{"entry_id":"e2",…}\nreceipt {…}' | sha256sum
  const expected = "29638172acf4bf9446e8d4c02884c8487d8c72bd5210cd0e7dc33198e1576736";

  it("hashes the documented text of rows and receipt", () => {
    const digest = new InputsDigest(1)
      .addRow({ entry_id: "e1", partner_id: "p1", nsv_bbl: 9771.9 })
      .addRow({ partner_id: "p2", entry_id: "e2", nsv_bbl: 0.3 })
      .setReceipt(receipt);
    expect(digest.rowCount).to.equal(2);
    expect(digest.digest()).to.equal(expected);
    expect(digest.digest()).to.equal(expected);
  });

  it("applies the measurement's defaults and ignores where the receipt is given", () => {
    const explicit = new InputsDigest(1)
      .setReceipt({ ...receipt, pressure_psig: 0, meter_factor: 1 })
      .addRow({ entry_id: "e1", partner_id: "p1", nsv_bbl: 9771.9 })
      .addRow({ entry_id: "e2", partner_id: "p2", nsv_bbl: 0.3 });
    expect(explicit.digest()).to.equal(expected);
  });

  it("hashes only the manifest fields of a row", () => {
    const withExtras = new InputsDigest(1)
      .addRow({ entry_id: "e1", partner_id: "p1", nsv_bbl: 9771.9, note: "ignored" } as never)
      .addRow({ entry_id: "e2", partner_id: "p2", nsv_bbl: 0.3 })
      .setReceipt(receipt);
    expect(withExtras.digest()).to.equal(expected);
  });

  it("depends on the read order, every row value and every receipt field", () => {
    const rows = [
      { entry_id: "e1", partner_id: "p1", nsv_bbl: 9771.9 },
      { entry_id: "e2", partner_id: "p2", nsv_bbl: 0.3 },
    ];
    const of = (rs: typeof rows, r: typeof receipt & { pressure_psig?: number }): string => {
      const d = new InputsDigest(1).setReceipt(r);
      for (const row of rs) d.addRow(row);
      return d.digest();
    };
    expect(of([...rows].reverse(), receipt)).to.not.equal(expected);
    expect(of([rows[0]!, { ...rows[1]!, nsv_bbl: 0.31 }], receipt)).to.not.equal(expected);
    expect(of([rows[0]!, { ...rows[1]!, partner_id: "p1" }], receipt)).to.not.equal(expected);
    expect(of(rows, { ...receipt, pressure_psig: 1 })).to.not.equal(expected);
    expect(of(rows, { ...receipt, bsw_percent: 0.6 })).to.not.equal(expected);
  });

  it("streams 100,000 rows to the same digest as the whole text", () => {
    const digest = new InputsDigest(1).setReceipt(receipt);
    const whole = createHash("sha256").update("flowshare/inputs-digest/v1\n");
    for (let i = 0; i < 100_000; i += 1) {
      digest.addRow({ entry_id: `e${i}`, partner_id: `p${i % 7}`, nsv_bbl: 1000 + (i % 100) / 100 });
      whole.update(`{"entry_id":"e${i}","nsv_bbl":${1000 + (i % 100) / 100},"partner_id":"p${i % 7}"}\n`);
    }
    whole.update(
      'receipt {"api_gravity":30,"bsw_percent":0.5,"gross_volume_bbl":10000,"meter_factor":1,"pressure_psig":0,"temperature_degF":100}',
    );
    expect(digest.rowCount).to.equal(100_000);
    expect(digest.digest()).to.equal(whole.digest("hex"));
  });

  it("refuses what cannot be hashed faithfully, and use after the digest", () => {
    expect(() => new InputsDigest(1).addRow({ entry_id: "e", partner_id: "p", nsv_bbl: Number.NaN })).to.throw(TypeError);
    expect(() => new InputsDigest(1).addRow({ entry_id: 7, partner_id: "p", nsv_bbl: 1 } as never)).to.throw(TypeError);
    expect(() => new InputsDigest(1).digest()).to.throw(/receipt/);
    expect(() => new InputsDigest(1).setReceipt(receipt).setReceipt(receipt)).to.throw(/already set/);
    const done = new InputsDigest(1).setReceipt(receipt);
    done.digest();
    expect(() => done.addRow({ entry_id: "e", partner_id: "p", nsv_bbl: 1 })).to.throw(/final/);
  });
});

describe("InputsDigest v2: the documented text, written row by row without canonicalJson", () => {
  const receipt = { gross_volume_bbl: 10000, bsw_percent: 0.5, temperature_degF: 100, api_gravity: 30 };
  const measured = {
    gross_volume_bbl: 1000.01,
    bsw_percent: 0.35,
    temperature_degF: 82.5,
    api_gravity: 35.1,
    pressure_psig: 0,
    meter_factor: 1,
  };
  const odd = {
    entry_id: 'e"\u00fc\u2028\ud800',
    partner_id: "p-\u00df",
    nsv_bbl: -0,
    gross_volume_bbl: 1e21,
    bsw_percent: 5e-7,
    temperature_degF: -12.25,
    api_gravity: 10,
    pressure_psig: 14.7,
    meter_factor: 0.9995,
  };
  const rows = [{ entry_id: "NWE-2026-09-01-a", partner_id: "northwind", nsv_bbl: 9771.9, ...measured }, odd];
  const digestOf = (version: 1 | 2, of: readonly Record<string, unknown>[]) => {
    const digest = new InputsDigest(version).setReceipt(receipt);
    for (const row of of) digest.addRow(row as never);
    return digest.digest();
  };
  /** The text the class documents: header, canonicalJson of each row's fields, the receipt line. */
  const documented = (of: readonly Record<string, unknown>[]) => {
    const keys = ["entry_id", "nsv_bbl", "partner_id", ...Object.keys(measured)];
    const lines = of.map((row) => `${canonicalJson(Object.fromEntries(keys.map((k) => [k, row[k]])))}\n`);
    const receiptLine = `receipt ${canonicalJson({ ...receipt, pressure_psig: 0, meter_factor: 1 })}`;
    return createHash("sha256")
      .update(`flowshare/inputs-digest/v2\n${lines.join("")}${receiptLine}`)
      .digest("hex");
  };

  it("keeps the digests it gave before (escapes, -0, exponents)", () => {
    // Taken from the implementation that built each row as an object for canonicalJson.
    expect(digestOf(1, rows)).to.equal("4bb7fcb9198572bf1f024d34186b1d44fe468fc1caec6274646c3054e7d8b36a");
    expect(digestOf(2, rows)).to.equal("ca311bc78298f5eb374be81219b289d4036b00f014f369caaa26037b0b5c6833");
    expect(digestOf(2, rows)).to.equal(documented(rows));
  });

  it("hashes 10,000 generated rows as the documented text, across its buffered updates", () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      entry_id: `e-${i}-${"x".repeat(Math.floor(next() * 60))}`,
      // Multi-byte text too, so that buffered runs end between characters of every width.
      partner_id: i % 7 === 0 ? `p-\u00e9\u{1F6E2}${i % 9}` : `p${i % 9}`,
      nsv_bbl: Math.round(next() * 1e7) / 100,
      gross_volume_bbl: Math.round(next() * 1e7) / 100,
      bsw_percent: Math.round(next() * 500) / 100,
      temperature_degF: Math.round(next() * 1500) / 10 - 20,
      api_gravity: Math.round(next() * 600) / 10,
      pressure_psig: Math.round(next() * 100),
      meter_factor: Math.round((0.99 + next() * 0.02) * 1e5) / 1e5,
    }));
    expect(digestOf(2, many)).to.equal(documented(many));
    expect(digestOf(2, [...many.slice(0, 9_999), { ...many[9_999]!, meter_factor: 1.00001 }])).to.not.equal(documented(many));
  });

  it("still refuses a measured field that is not a number, and NaN through canonicalJson", () => {
    expect(() => digestOf(2, [{ ...rows[0], bsw_percent: "0.35" }])).to.throw(TypeError, /bsw_percent must be a number/);
    expect(() => digestOf(2, [{ ...rows[0], nsv_bbl: Number.NaN }])).to.throw(TypeError, /nsv_bbl is NaN/);
  });
});

describe("integrityHash over every leaf of a report", () => {
  type Leaf = { path: (string | number)[]; value: unknown };
  function leaves(value: unknown, path: (string | number)[] = []): Leaf[] {
    if (value instanceof Date || value === null || typeof value !== "object") return [{ path, value }];
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return entries.flatMap(([key, child]) => leaves(child, [...path, key]));
  }
  function tampered(report: unknown, path: (string | number)[], value: unknown): Record<string, unknown> {
    const copy = structuredClone(report) as Record<string, unknown>;
    let node = copy as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path[path.length - 1]] = value;
    return copy;
  }
  const changed = (value: unknown): unknown => {
    if (typeof value === "number") return Math.round((value + 0.01) * 100) / 100;
    if (typeof value === "string") return `${value}x`;
    if (typeof value === "boolean") return !value;
    if (value instanceof Date) return new Date(value.getTime() + 1000);
    return "tampered";
  };

  // Plain data, as the accountant hashes it: the sample's Timestamp-like period end as a Date.
  const periodEnd = (sampleReport.period_end as { toDate(): Date }).toDate();
  const report = { ...(sampleReport as unknown as Record<string, unknown>), period_end: periodEnd, status: "completed" };
  const hashedLeaves = leaves(report).filter((l) => !INTEGRITY_HASH_EXCLUDED_FIELDS.includes(String(l.path[0])));

  it("has a hash-relevant leaf for every field of the sample report", () => {
    const topLevel = new Set(hashedLeaves.map((l) => String(l.path[0])));
    for (const key of Object.keys(report)) {
      if (!INTEGRITY_HASH_EXCLUDED_FIELDS.includes(key)) expect(topLevel.has(key), key).to.equal(true);
    }
    expect(hashedLeaves.length).to.be.greaterThan(30);
  });

  it("changes when any single leaf changes (each tried alone)", () => {
    const original = integrityHash(report);
    const missed = hashedLeaves.filter((leaf) => integrityHash(tampered(report, leaf.path, changed(leaf.value))) === original);
    expect(missed.map((l) => l.path.join("."))).to.deep.equal([]);
  });
});

describe("report hash scheme v2", () => {
  const leafKey = "k".repeat(32);
  const report = {
    hash_scheme: REPORT_HASH_V2,
    leaf_key: leafKey,
    period_end: new Date("2026-11-08T00:00:00Z"),
    totals: { terminal_nsv_bbl: 10 },
    allocations: [
      { partner_id: "a", partner_name: "Alpha", allocated_bbl: 6 },
      { partner_id: "b", partner_name: "Beta", allocated_bbl: 4 },
    ],
    excluded: [{ entry_id: "e9", partner_id: "b", reason: "rejected" }],
    integrity_hash: "x",
    status: "completed",
  };

  it("tells a Date from its ISO string, which v1 does not", () => {
    const asText = { ...report, period_end: "2026-11-08T00:00:00.000Z" };
    expect(integrityHash(asText)).to.not.equal(integrityHash(report));
    const v1 = { period_end: new Date("2026-11-08T00:00:00Z") };
    expect(integrityHash(v1)).to.equal(integrityHash({ period_end: "2026-11-08T00:00:00.000Z" }));
    expect(hashSchemeOf(v1)).to.equal(REPORT_HASH_V1);
  });

  it("is reproduced from a partner's sealed copy and its own salt, and no other", () => {
    const full = integrityHash(report);
    const sealed = sealRows(report, (p) => p === "a");
    const { leaf_key: _dropped, ...forPartner } = sealed;
    expect(JSON.stringify(forPartner)).to.not.contain("Beta");
    expect(JSON.stringify(forPartner)).to.not.contain("e9");
    expect(integrityHash(forPartner, { a: partnerSalt(leafKey, "a") })).to.equal(full);
    expect(() => integrityHash(forPartner)).to.throw(/no leaf salt for partner a/);
    expect(integrityHash(forPartner, { a: partnerSalt("other", "a") })).to.not.equal(full);
  });

  it("changes with the leaf key, a row, and not with status", () => {
    const base = integrityHash(report);
    expect(integrityHash({ ...report, leaf_key: "z".repeat(32) })).to.not.equal(base);
    expect(
      integrityHash({ ...report, allocations: [report.allocations[0], { ...report.allocations[1], allocated_bbl: 4.01 }] }),
    ).to.not.equal(base);
    expect(integrityHash({ ...report, status: "superseded", superseded_by: "r_v2" })).to.equal(base);
  });

  it("rejects an unknown scheme", () => {
    expect(() => integrityHash({ ...report, hash_scheme: "flowshare/report-hash/v9" })).to.throw(/unknown report hash scheme/);
  });

  it("digests the measured inputs of every manifest row", () => {
    const row = {
      entry_id: "e1",
      partner_id: "a",
      nsv_bbl: 995,
      gross_volume_bbl: 1000,
      bsw_percent: 0.5,
      temperature_degF: 60,
      api_gravity: 30,
      pressure_psig: 0,
      meter_factor: 1,
    };
    const receipt = { gross_volume_bbl: 10000, bsw_percent: 0.5, temperature_degF: 100, api_gravity: 30 };
    const digest = (r: typeof row) => new InputsDigest(2).addRow(r).setReceipt(receipt).digest();
    expect(digest({ ...row, temperature_degF: 60.01 })).to.not.equal(digest(row));
    expect(digest(row)).to.not.equal(new InputsDigest(1).addRow(row).setReceipt(receipt).digest());
    expect(() => new InputsDigest(2).addRow({ entry_id: "e1", partner_id: "a", nsv_bbl: 1 })).to.throw(/gross_volume_bbl must be a number/);
  });
});
