import { expect } from "chai";
import { gzipSync } from "node:zlib";
import { gunzipSync } from "node:zlib";
import { manifestLinesGzip, manifestRowsGzip, manifestRowsOf } from "../../src/agents/accountant/manifest";
import { measuredRowLine } from "../../src/domain/report-hash";

const rows = [
  { entry_id: "e1", partner_id: "a", nsv_bbl: 995.02, gross_volume_bbl: 1000, bsw_percent: 0.5, temperature_degF: 60, api_gravity: 30 },
  { entry_id: "e2", partner_id: "b", nsv_bbl: 10.5, gross_volume_bbl: 10.6, bsw_percent: 0.1, temperature_degF: 61.3, api_gravity: 31.2 },
];

describe("manifest chunks' rows", () => {
  it("are stored gzip-compressed and read back exactly, as are the JSON text and arrays of chunks written before", async () => {
    const stored = await manifestRowsGzip(rows);
    expect(stored).to.have.all.keys("rows_gzip");
    expect(stored.rows_gzip.subarray(0, 2)).to.deep.equal(Buffer.from([0x1f, 0x8b]));
    expect(manifestRowsOf("c0", stored)).to.deep.equal(rows);
    expect(manifestRowsOf("c0", { rows_json: JSON.stringify(rows) })).to.deep.equal(rows);
    expect(manifestRowsOf("c0", { rows })).to.deep.equal(rows);
  });

  it("are stored from the scan's lines as the JSON array of those lines, in UTF-8 whatever characters they hold", () => {
    const measured = [
      { ...rows[0], partner_id: "Ølfelt Nord", pressure_psig: 0, meter_factor: 1 },
      { ...rows[1], partner_id: "北海-𝄞", pressure_psig: 12.5, meter_factor: 1.0012 },
      { ...rows[1], entry_id: "e3", partner_id: 'quote " and \\ backslash', pressure_psig: 0, meter_factor: 1 },
    ];
    const lines = measured.map(measuredRowLine);
    const stored = manifestLinesGzip(lines);
    expect(gunzipSync(stored.rows_gzip)).to.deep.equal(Buffer.from(`[${lines.join(",")}]`, "utf8"));
    expect(manifestRowsOf("c0", stored)).to.deep.equal(measured);
    expect(manifestRowsOf("c1", manifestLinesGzip([]))).to.deep.equal([]);
  });

  it("are refused when a chunk holds them twice, is not gzip or not JSON, or holds none", async () => {
    const stored = await manifestRowsGzip(rows);
    expect(() => manifestRowsOf("c1", { ...stored, rows_json: JSON.stringify(rows.slice(1)) })).to.throw(
      "manifest chunk c1 holds its rows twice (rows_gzip and rows_json)",
    );
    expect(() => manifestRowsOf("c2", { rows_gzip: Buffer.from("not gzip") })).to.throw("manifest chunk c2: rows_gzip is not gzip");
    expect(() => manifestRowsOf("c3", { rows_gzip: gzipSync("[{") })).to.throw("manifest chunk c3: its rows are not JSON");
    expect(() => manifestRowsOf("c4", { index: 0 })).to.throw("manifest chunk c4 holds no rows");
    // 9 MB of text in 9 KB: refused before it is unpacked whole.
    expect(() => manifestRowsOf("c5", { rows_gzip: gzipSync(Buffer.alloc(9_000_000, 32)) })).to.throw(
      "manifest chunk c5: rows_gzip unpacks to more than 8 MiB",
    );
  });
});
