import { FieldPath, type Firestore, type Query } from "firebase-admin/firestore";
import { endChainWalk, startChainWalk, stepChainWalk, type ChainHead, type ChainProblem, type ChainWalk } from "../domain/audit-chain";
import { auditEventOf } from "./audit-log";
import { COLLECTIONS } from "./collections";
import { isDocumentIdLike } from "./document-id";

/**
 * The whole audit log walked in segments, in (stream, seq, id) order, each segment bounded in
 * events, so that no call reads the log at once nor holds a chain in memory. A segment's state is
 * plain JSON: the next segment, in the same call or a later one, takes it up where it stopped.
 *
 * A stream's head is read after its events (an event and its head are written in one
 * transaction): a later append then shows as a head beyond the events read, whose events up to
 * the head are read before judging, and an event beyond its head can only have been put there by
 * hand. A head whose stream has no event in the walk is judged the same way, events read up to it.
 */
export interface AuditLogWalkState {
  /**
   * The last event walked: the next page starts after it, by its stored stream and seq, or by the
   * document itself when they were too long to keep (an edited field can hold anything).
   */
  after: { stream?: unknown; seq?: unknown; event_id: string } | null;
  /** The stream walked when the segment stopped: its end is judged once the walk leaves it. */
  open: ChainWalk | null;
}

export interface AuditLogSegment {
  state: AuditLogWalkState;
  complete: boolean;
  /** Streams whose end was judged in this segment. */
  streams: number;
  events: number;
  problems: ChainProblem[];
}

export const START_OF_LOG: AuditLogWalkState = Object.freeze({ after: null, open: null });

/**
 * Events a page: a segment's worth (20,000 events, some 40 MB in memory), since each query of the
 * emulator costs about as much as the log is long (100,000 events: 30 s in pages of 5,000, 6.4 s in one).
 */
export const WALK_PAGE = 20_000;
const HEADS_PAGE = 500;

export async function walkAuditLogSegment(db: Firestore, from: AuditLogWalkState, maxEvents: number): Promise<AuditLogSegment> {
  let { after, open } = from;
  const segment: AuditLogSegment = { state: from, complete: false, streams: 0, events: 0, problems: [] };
  for (;;) {
    const limit = Math.min(WALK_PAGE, maxEvents - segment.events);
    if (limit <= 0) break;
    let query = db.collection(COLLECTIONS.auditLog).orderBy("stream").orderBy("seq").orderBy(FieldPath.documentId()).limit(limit);
    if (after) query = await startingAfter(db, query, after);
    const page = await query.get();
    const rangeStart = open?.stream ?? null;
    const ended: ChainWalk[] = [];
    for (const doc of page.docs) {
      const event = auditEventOf(doc.id, doc.data());
      if (open?.stream !== event.stream) {
        if (open) ended.push(open);
        open = startChainWalk(event.stream);
      }
      const problem = stepChainWalk(open, event);
      if (problem) segment.problems.push(problem);
      after = cursorOf(doc.id, doc.get("stream"), doc.get("seq"));
    }
    segment.events += page.size;
    if (page.size < limit) {
      if (open) ended.push(open);
      open = null;
      segment.complete = true;
    }
    const walked = new Set([...ended.map((w) => w.stream), ...(open ? [open.stream] : [])]);
    const headOnly = await headsBetween(db, rangeStart, open?.stream ?? null);
    ended.push(...headOnly.filter((stream) => !walked.has(stream)).map(startChainWalk));
    const judged = await judgeEnds(db, ended);
    segment.streams += ended.length;
    segment.events += judged.events;
    segment.problems.push(...judged.problems);
    if (segment.complete) break;
  }
  segment.state = { after, open };
  return segment;
}

/** Stored values kept in a run's state at most this long (JSON); past it, the document's id alone. */
const CURSOR_VALUE_MAX = 1500;

function cursorOf(eventId: string, stream: unknown, seq: unknown): NonNullable<AuditLogWalkState["after"]> {
  const short = (JSON.stringify([stream, seq]) ?? "").length <= CURSOR_VALUE_MAX;
  return short ? { stream, seq, event_id: eventId } : { event_id: eventId };
}

async function startingAfter(db: Firestore, query: Query, after: NonNullable<AuditLogWalkState["after"]>): Promise<Query> {
  if ("stream" in after && "seq" in after) return query.startAfter(after.stream, after.seq, after.event_id);
  const snap = await db.doc(`${COLLECTIONS.auditLog}/${after.event_id}`).get();
  if (!snap.exists) throw new Error(`the event the walk stopped at, ${after.event_id}, is gone: verify again from the start`);
  return query.startAfter(snap);
}

/**
 * The streams whose heads are named strictly between two streams of the walk (null: the log's
 * start or end). A bound that names no document (a stream field edited to "" or "a/b") cannot
 * bound the query: the heads past it are read and compared here.
 */
async function headsBetween(db: Firestore, afterStream: string | null, beforeStream: string | null): Promise<string[]> {
  const after = afterStream !== null && isDocumentIdLike(afterStream) ? afterStream : null;
  const before = beforeStream !== null && isDocumentIdLike(beforeStream) ? beforeStream : null;
  const streams: string[] = [];
  let from = after;
  for (;;) {
    let query = db.collection(COLLECTIONS.auditChains).orderBy(FieldPath.documentId()).select().limit(HEADS_PAGE);
    if (from !== null) query = query.startAfter(from);
    if (before !== null) query = query.endBefore(before);
    const page = await query.get();
    streams.push(...page.docs.map((d) => d.id));
    if (page.size < HEADS_PAGE) break;
    from = page.docs[page.size - 1]!.id;
  }
  return streams.filter((id) => (afterStream === null || id > afterStream) && (beforeStream === null || id < beforeStream));
}

/** Each ended stream against its head, read now: events appended since the walk read its own are read up to the head first. */
async function judgeEnds(db: Firestore, walks: ChainWalk[]): Promise<{ events: number; problems: ChainProblem[] }> {
  const result = { events: 0, problems: [] as ChainProblem[] };
  if (walks.length === 0) return result;
  // A stream field edited into no document name has no head to read: its events have none.
  const named = walks.filter((w) => isDocumentIdLike(w.stream));
  const snaps = named.length > 0 ? await db.getAll(...named.map((w) => db.doc(`${COLLECTIONS.auditChains}/${w.stream}`))) : [];
  const heads = new Map(snaps.filter((s) => s.exists).map((s) => [s.id, { seq: s.get("seq") as unknown, hash: String(s.get("hash")) }]));
  for (const walk of walks) {
    const stored = heads.get(walk.stream);
    const head: ChainHead | null = stored ? { seq: Number(stored.seq), hash: stored.hash } : null;
    if (head && !walk.broken && Number.isInteger(head.seq)) result.events += await walkUpTo(db, walk, head.seq, result.problems);
    const problem = endProblem(walk, head, stored?.seq);
    if (problem) result.problems.push(problem);
  }
  return result;
}

/** endChainWalk, and what only a head read after the events can tell: a head that counts nothing, events beyond it. */
function endProblem(walk: ChainWalk, head: ChainHead | null, storedSeq: unknown): ChainProblem | null {
  if (!head || walk.broken) return endChainWalk(walk, head);
  const { stream } = walk;
  const lastSeq = walk.next_seq - 1;
  if (typeof storedSeq !== "number" || !Number.isInteger(storedSeq) || storedSeq < 0) {
    return {
      kind: "head_mismatch",
      stream,
      seq: lastSeq,
      message: `the head of stream ${stream} holds no sequence number (seq: ${(JSON.stringify(storedSeq) ?? "none").slice(0, 60)})`,
    };
  }
  if (lastSeq > head.seq) {
    return {
      kind: "inserted",
      stream,
      seq: head.seq + 1,
      message: `stream ${stream} has events beyond its head: the head says ${head.seq}, the last event is ${lastSeq}`,
    };
  }
  return endChainWalk(walk, head);
}

/** Walks the stream's events after the walk's last, up to `seq`; answers how many were read. */
async function walkUpTo(db: Firestore, walk: ChainWalk, seq: number, problems: ChainProblem[]): Promise<number> {
  let read = 0;
  while (!walk.broken && walk.next_seq <= seq) {
    const page = await db
      .collection(COLLECTIONS.auditLog)
      .where("stream", "==", walk.stream)
      .where("seq", ">=", walk.next_seq)
      .where("seq", "<=", seq)
      .orderBy("seq")
      .limit(WALK_PAGE)
      .get();
    read += page.size;
    for (const doc of page.docs) {
      const problem = stepChainWalk(walk, auditEventOf(doc.id, doc.data()));
      if (problem) problems.push(problem);
    }
    if (page.size < WALK_PAGE) break;
  }
  return read;
}

export interface ChainReport {
  streams: number;
  events: number;
  problems: ChainProblem[];
  complete: boolean;
}

/** Segment after segment to the log's end, in one process (scripts/verify.ts): every chain's first break. */
export async function verifyAuditLog(db: Firestore, segmentEvents = 20_000): Promise<ChainReport> {
  const report: ChainReport = { streams: 0, events: 0, problems: [], complete: false };
  let state = START_OF_LOG;
  while (!report.complete) {
    const segment = await walkAuditLogSegment(db, state, segmentEvents);
    state = segment.state;
    report.streams += segment.streams;
    report.events += segment.events;
    report.problems.push(...segment.problems);
    report.complete = segment.complete;
  }
  return report;
}
