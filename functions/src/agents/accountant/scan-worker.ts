// A scan worker's thread (scan-workers.ts): reads the parts of periods it is sent with a database
// client of its own and answers each with what it classified.
import { parentPort, workerData } from "node:worker_threads";
import { initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { scanPart } from "./entry-scan";
import { describeError, type ScanCancel, type ScanRequest, type WorkerReply, type WorkerTarget } from "./scan-workers";

const target = workerData as WorkerTarget;
const db = getFirestore(initializeApp(target.projectId ? { projectId: target.projectId } : undefined), target.databaseId);
const scans = new Map<number, AbortController>();
const reply = (message: WorkerReply) => {
  try {
    parentPort!.postMessage(message);
  } catch (error) {
    // A reply that cannot be sent fails that scan, not the worker and every scan it holds.
    if ("id" in message) parentPort!.postMessage({ id: message.id, error: describeError(error) } satisfies WorkerReply);
  }
};

parentPort!.on("message", (message: ScanRequest | ScanCancel) => {
  if ("cancel" in message) {
    scans.get(message.cancel)?.abort();
    return;
  }
  const abort = new AbortController();
  scans.set(message.id, abort);
  scanPart(db, new Date(message.from), new Date(message.to), {
    maxEntries: message.maxEntries,
    sharedCount: new Int32Array(message.shared),
    slices: message.slices,
    signal: abort.signal,
    ...(message.jvStart ? { jvStart: { date: message.jvStart.date, from: new Date(message.jvStart.from) } } : {}),
  })
    .then(
      (part) => reply({ id: message.id, part }),
      (error: unknown) => reply({ id: message.id, error: describeError(error) }),
    )
    .finally(() => scans.delete(message.id));
});

reply({ ready: true });
