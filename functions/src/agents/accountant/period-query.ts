/**
 * A range of the period's entries, streamed. The scan's queries go to Firestore's RunQuery over
 * gRPC directly and are decoded from the wire into plain values (run-query-wire.ts): the client
 * library's message objects and their conversion took most of the CPU a scan spends per entry.
 * Should that stream fail, the rest of the range is read with the client library, from after the
 * last entry delivered. That read has a snapshot of its own (the library resumes its own broken
 * streams at theirs): an entry moved across the resume point meanwhile is a change the close's
 * records catch, as they catch an entry moved between two sub-ranges (docs/monthly-close.md).
 */
import * as grpc from "@grpc/grpc-js";
import { getApps } from "firebase-admin/app";
import { FieldPath, Timestamp, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { logger } from "firebase-functions/logger";
import { type Readable } from "node:stream";
import { decodeRunQueryResponse, encodeRangeQuery } from "../../shared/run-query-wire";

export interface RangeRead {
  collectionId: string;
  field: string;
  from: Date;
  to: Date;
  select: readonly string[];
  limit: number;
}

export interface RangeDocument {
  id: string;
  data: Record<string, unknown>;
}

export interface RangeStream {
  /** Stops reading; no document is delivered after it. */
  destroy(): void;
}

export interface RangeHandlers {
  data(doc: RangeDocument): void;
  error(error: unknown): void;
  end(): void;
}

/** The client's project once it has made a request (the getter is not in its types); else undefined. */
export function projectOf(db: Firestore): string | undefined {
  try {
    return (db as unknown as { projectId?: string }).projectId;
  } catch {
    return undefined;
  }
}

const queriesOf = new WeakMap<Firestore, PeriodQueries>();

/** The range queries of this database client (one gRPC channel each, made on first use). */
export function periodQueries(db: Firestore): PeriodQueries {
  let queries = queriesOf.get(db);
  if (!queries) {
    queries = new PeriodQueries(db);
    queriesOf.set(db, queries);
  }
  return queries;
}

/** Direct queries that failed before their first document, in a row, after which an instance reads with the library for a while. */
const DIRECT_FAILURES_TOLERATED = 3;
const DIRECT_PAUSE_MS = 5 * 60_000;
/** As the client library bounds a RunQuery: past it the rest of the range is read by the library. */
const DIRECT_DEADLINE_MS = 300_000;

export class PeriodQueries {
  private client: grpc.Client | undefined;
  private failedInARow = 0;
  private pausedUntil = 0;

  constructor(
    private readonly db: Firestore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the next range is read directly: not for a few minutes after direct queries kept failing at their start. */
  get direct(): boolean {
    return this.now() >= this.pausedUntil;
  }

  private failedAtStart(): void {
    this.failedInARow += 1;
    if (this.failedInARow < DIRECT_FAILURES_TOLERATED) return;
    this.failedInARow = 0;
    this.pausedUntil = this.now() + DIRECT_PAUSE_MS;
  }

  /** Streams [from, to) of `field` in order of it and the document id, to `handlers`. */
  stream(read: RangeRead, handlers: RangeHandlers): RangeStream {
    let stopped = false;
    let cancel: () => void = () => undefined;
    let delivered = 0;
    let last: RangeDocument | undefined;
    const deliver = (doc: RangeDocument) => {
      delivered += 1;
      last = doc;
      handlers.data(doc);
    };
    const finish = (outcome: () => void) => {
      if (stopped) return;
      stopped = true;
      outcome();
    };
    const byLibrary = (reason?: unknown) => {
      if (reason !== undefined) {
        if (delivered === 0) this.failedAtStart();
        logger.warn("reconcile: a direct query of the period failed; the client library reads the rest of its range", {
          delivered,
          error: reason instanceof Error ? reason.message : String(reason),
          ...(this.direct
            ? {}
            : {
                paused: `after ${DIRECT_FAILURES_TOLERATED} such failures in a row, the library reads every range for ${DIRECT_PAUSE_MS / 60_000} minutes`,
              }),
        });
      }
      try {
        readByLibrary();
      } catch (error) {
        finish(() => handlers.error(error));
      }
    };
    const readByLibrary = () => {
      // Every document the range may hold came before the failure: the range is read.
      if (delivered >= read.limit) return finish(handlers.end);
      let query = this.db
        .collection(read.collectionId)
        .where(read.field, ">=", Timestamp.fromDate(read.from))
        .where(read.field, "<", Timestamp.fromDate(read.to))
        .orderBy(read.field)
        .orderBy(FieldPath.documentId());
      if (last) query = query.startAfter(last.data[read.field], last.id);
      const stream = query
        .select(...read.select)
        .limit(read.limit - delivered)
        .stream() as Readable;
      cancel = () => stream.destroy();
      stream.on("data", (snap: QueryDocumentSnapshot) => {
        if (!stopped) deliver({ id: snap.id, data: snap.data() });
      });
      stream.on("error", (error) => finish(() => handlers.error(error)));
      stream.on("end", () => finish(handlers.end));
    };
    let direct: grpc.ClientReadableStream<Buffer> | undefined;
    // Once the direct stream is given up, nothing more of it counts, whatever it still sends.
    const giveUp = (reason: unknown) => {
      if (stopped || !direct) return;
      const abandoned = direct;
      direct = undefined;
      abandoned.removeAllListeners();
      abandoned.on("error", () => undefined);
      abandoned.cancel();
      byLibrary(reason);
    };
    if (!this.direct) byLibrary();
    else
      try {
        const call = this.directQuery(read);
        direct = call;
        cancel = () => call.cancel();
        call.on("data", (message: Buffer) => {
          if (stopped || direct !== call) return;
          let doc: RangeDocument | undefined;
          try {
            doc = decodeRunQueryResponse(message);
          } catch (error) {
            giveUp(error);
            return;
          }
          if (doc) deliver(doc);
        });
        call.on("error", (error: grpc.ServiceError) => giveUp(error));
        call.on("end", () => {
          if (direct !== call) return;
          this.failedInARow = 0;
          finish(handlers.end);
        });
      } catch (error) {
        byLibrary(error);
      }
    return {
      destroy: () => {
        stopped = true;
        cancel();
      },
    };
  }

  private directQuery(read: RangeRead): grpc.ClientReadableStream<Buffer> {
    const project = projectOf(this.db) ?? getApps()[0]?.options.projectId ?? process.env.GCLOUD_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT;
    if (!project) throw new Error("the project is not known");
    const database = `projects/${project}/databases/${this.db.databaseId}`;
    const request = encodeRangeQuery({ parent: `${database}/documents`, ...read });
    const metadata = new grpc.Metadata();
    metadata.set("google-cloud-resource-prefix", database);
    // The client library's routing header for RunQuery.
    metadata.set("x-goog-request-params", `parent=${encodeURIComponent(`${database}/documents`)}`);
    const emulator = process.env.FIRESTORE_EMULATOR_HOST;
    if (emulator) metadata.set("authorization", "Bearer owner");
    this.client ??= new grpc.Client(
      emulator ?? "firestore.googleapis.com:443",
      emulator ? grpc.credentials.createInsecure() : appCredentials(),
      {
        "grpc.max_receive_message_length": -1,
      },
    );
    return this.client.makeServerStreamRequest(
      "/google.firestore.v1.Firestore/RunQuery",
      (body: Buffer) => body,
      (body: Buffer) => body,
      request,
      metadata,
      // On the wall clock, as gRPC reads it (the injected clock times only the pause).
      { deadline: Date.now() + DIRECT_DEADLINE_MS },
    );
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}

/** TLS with an OAuth2 access token of this thread's app (its credential: the application default unless it was given one), kept until near its expiry. */
function appCredentials(): grpc.ChannelCredentials {
  const credential = getApps()[0]?.options.credential;
  if (!credential) throw new Error("no app credential to call Firestore with");
  let cached: { token: string; until: number } | undefined;
  const token = grpc.credentials.createFromMetadataGenerator((_params, callback) => {
    const send = (value: string) => {
      const metadata = new grpc.Metadata();
      metadata.set("authorization", `Bearer ${value}`);
      callback(null, metadata);
    };
    if (cached && Date.now() < cached.until) return send(cached.token);
    credential.getAccessToken().then(
      (access) => {
        cached = { token: access.access_token, until: Date.now() + Math.max(0, access.expires_in - 300) * 1000 };
        send(access.access_token);
      },
      (error: Error) => callback(error),
    );
  });
  return grpc.credentials.combineChannelCredentials(grpc.credentials.createSsl(), token);
}
