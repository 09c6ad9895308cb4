import { gunzipSync, gzipSync } from "node:zlib";
import { type DocumentData, type Firestore } from "firebase-admin/firestore";
import { type InputRow, type MeasuredInputRow } from "../../domain/report-hash";
import { COLLECTIONS } from "../../shared/collections";
import { codeOf } from "../../shared/firestore-errors";

/** Rows per manifest document (~250 bytes a row with its measured inputs: far below Firestore's 1 MiB). */
export const MANIFEST_CHUNK_ROWS = 2_000;
/** What a chunk's text may unpack to: 2,000 rows are about 0.4 MiB; a chunk unpacking to far more was not written here. */
const MAX_CHUNK_TEXT = 8 * 2 ** 20;
/**
 * Chunk documents per batch commit, and commits in flight at once: small commits side by
 * side, and a pool that keeps a large manifest from opening hundreds of requests at once.
 */
const CHUNKS_PER_BATCH = 2;
const COMMITS_IN_FLIGHT = 8;

export interface ManifestInfo {
  /** Chunk ids are `${prefix}_${index}`: the prefix names the inputs they belong to. */
  prefix: string;
  chunks: number;
  rows: number;
}

export function manifestPrefix(inputsDigest: string): string {
  return inputsDigest.slice(0, 16);
}

/**
 * A chunk's rows are stored as gzip-compressed JSON text in `rows_gzip`: stored as an array of
 * maps, every field of every row is indexed (18,000 index entries a chunk, near Firestore's
 * 40,000 per document; 10,000 rows took 0.7-0.9 s to write in the emulator against 0.07 s as
 * text), and compressed the text is about a seventh of the bytes to write, store and read (406 KB to
 * 60 KB for 2,000 of the benchmark's rows).
 */
export async function manifestRowsGzip(rows: readonly unknown[]): Promise<{ rows_gzip: Buffer }> {
  return packed(Buffer.from(JSON.stringify(rows)));
}

/** As manifestRowsGzip, of rows given as their JSON texts (measuredRowLine): the scan has made them already. */
export function manifestLinesGzip(lines: readonly string[]): { rows_gzip: Buffer } {
  return packed(jsonArrayText(lines));
}

const [OPEN, COMMA, CLOSE] = [0x5b, 0x2c, 0x5d];

/**
 * `[line,line,…]` in UTF-8, each line written straight into one buffer: joining the lines into one
 * string and converting that took twice as long (10,000 lines: about 16 ms against 8).
 */
function jsonArrayText(lines: readonly string[]): Buffer {
  // A UTF-16 code unit is at most three bytes of UTF-8.
  let room = 2 + lines.length;
  for (const line of lines) room += line.length * 3;
  const text = Buffer.allocUnsafe(room);
  let at = 0;
  text[at++] = OPEN;
  lines.forEach((line, i) => {
    if (i > 0) text[at++] = COMMA;
    at += text.write(line, at, "utf8");
  });
  text[at++] = CLOSE;
  return text.subarray(0, at);
}

/**
 * On this thread: a chunk packs in about a millisecond, and zlib's thread pool took two to three
 * times the CPU for it (on a machine of two cores the close is bound by the CPU it takes).
 */
function packed(text: Buffer): { rows_gzip: Buffer } {
  return { rows_gzip: gzipSync(text, { level: 1 }) };
}

/**
 * The rows a stored chunk holds: `rows_gzip`, or the `rows_json` text or `rows` array of chunks
 * written before it. A chunk holding two of them is refused: a reader must not pick one.
 */
export function manifestRowsOf(id: string, data: DocumentData | undefined): Array<InputRow | MeasuredInputRow> {
  const forms = ["rows_gzip", "rows_json", "rows"].filter((field) => data?.[field] !== undefined);
  if (forms.length > 1) throw new Error(`manifest chunk ${id} holds its rows twice (${forms.join(" and ")})`);
  const packed: unknown = data?.rows_gzip;
  const text: unknown = packed instanceof Uint8Array ? gunzipText(id, packed) : data?.rows_json;
  const rows: unknown = typeof text === "string" ? parseRows(id, text) : data?.rows;
  if (!Array.isArray(rows)) throw new Error(`manifest chunk ${id} holds no rows`);
  return rows as Array<InputRow | MeasuredInputRow>;
}

function gunzipText(id: string, packed: Uint8Array): string {
  try {
    return gunzipSync(packed, { maxOutputLength: MAX_CHUNK_TEXT }).toString("utf8");
  } catch (error) {
    if (codeOf(error) === "ERR_BUFFER_TOO_LARGE") {
      throw new Error(`manifest chunk ${id}: rows_gzip unpacks to more than ${MAX_CHUNK_TEXT / 2 ** 20} MiB`, { cause: error });
    }
    throw new Error(`manifest chunk ${id}: rows_gzip is not gzip`, { cause: error });
  }
}

function parseRows(id: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`manifest chunk ${id}: its rows are not JSON`);
  }
}

/** Where a manifest of `rows` rows with these inputs is stored: known before it is written. */
export function manifestInfo(inputsDigest: string, rows: number): ManifestInfo {
  return { prefix: manifestPrefix(inputsDigest), chunks: Math.ceil(rows / MANIFEST_CHUNK_ROWS), rows };
}

function chunkId(prefix: string, index: number): string {
  return `${prefix}_${String(index).padStart(5, "0")}`;
}

/**
 * Writes the input manifest of a version before the version itself: chunks are keyed by
 * the inputs digest, so a concurrent call with the same inputs writes the very same
 * documents, and one that lost with other inputs leaves chunks nobody's report names.
 * `lines` are the rows' measuredRowLine texts, in manifest order.
 */
export async function writeManifest(
  db: Firestore,
  reconciliationId: string,
  inputsDigest: string,
  lines: readonly string[],
): Promise<ManifestInfo> {
  const { prefix, chunks } = manifestInfo(inputsDigest, lines.length);
  const base = `${COLLECTIONS.reconciliations}/${reconciliationId}/${COLLECTIONS.reconciliationInputs}`;
  let next = 0;
  const commitBatches = async () => {
    while (next < chunks) {
      const first = next;
      next += CHUNKS_PER_BATCH;
      const batch = db.batch();
      for (let index = first; index < Math.min(chunks, first + CHUNKS_PER_BATCH); index += 1) {
        const slice = lines.slice(index * MANIFEST_CHUNK_ROWS, (index + 1) * MANIFEST_CHUNK_ROWS);
        batch.set(db.doc(`${base}/${chunkId(prefix, index)}`), { index, inputs_digest: inputsDigest, ...manifestLinesGzip(slice) });
      }
      await batch.commit();
    }
  };
  await Promise.all(Array.from({ length: Math.min(COMMITS_IN_FLIGHT, Math.ceil(chunks / CHUNKS_PER_BATCH)) }, commitBatches));
  return { prefix, chunks, rows: lines.length };
}

/** Reads a version's manifest rows back in their original order (v1 rows lack the measured inputs). */
export async function readManifest(
  db: Firestore,
  reconciliationId: string,
  info: ManifestInfo,
): Promise<Array<InputRow | MeasuredInputRow>> {
  const base = `${COLLECTIONS.reconciliations}/${reconciliationId}/${COLLECTIONS.reconciliationInputs}`;
  const refs = Array.from({ length: info.chunks }, (_, i) => db.doc(`${base}/${chunkId(info.prefix, i)}`));
  const rows: Array<InputRow | MeasuredInputRow> = [];
  if (refs.length === 0) return rows;
  const snaps = await db.getAll(...refs);
  for (const snap of snaps) {
    if (!snap.exists) throw new Error(`manifest chunk ${snap.id} is missing`);
    rows.push(...manifestRowsOf(snap.id, snap.data()));
  }
  return rows;
}
