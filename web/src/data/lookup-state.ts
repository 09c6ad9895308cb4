import { signal, type Signal } from "@preact/signals";

/**
 * The state of a looked-up document, kept apart from its read so that the retry rules are pure:
 * undefined while it is read, null when it is absent (or holds nothing to show), UNREADABLE when
 * the read failed (offline, a token being refreshed, a refusal): then nothing is known about it,
 * and no screen may say it is absent.
 */
export const UNREADABLE: unique symbol = Symbol("unreadable");
export type Looked<T> = T | null | undefined | typeof UNREADABLE;

/** The value when the read found one; undefined while it is read, when absent or unreadable. */
export const found = <T>(x: Looked<T>): T | undefined => (x === null || x === undefined || x === UNREADABLE ? undefined : x);

export const FIRST_RETRY_MS = 5_000;
export const LAST_RETRY_MS = 5 * 60_000;
/** On focus or reconnection a failed read is tried again at once, unless it was tried this recently. */
export const WAKE_GAP_MS = 5_000;

/** The wait after `failures` failed reads in a row: 5 s, 10 s, 20 s … at most 5 min, so a long outage costs few reads. */
export function retryDelay(failures: number): number {
  return Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
}

export interface Clock {
  now(): number;
  /** Runs `run` after `ms`; answers a function that cancels it. */
  after(ms: number, run: () => void): () => void;
}

interface Known<T> {
  value: Signal<Looked<T>>;
  failures: number;
  triedAt: number;
  reading: boolean;
  cancel?: () => void;
}

/**
 * One read per id (names change seldom, and many lines name the same few), a failed one tried
 * again on its own: after retryDelay, or at once when the page comes back (wake), not more often
 * than WAKE_GAP_MS, or when the caller knows what decided it has changed (recheck). `read`
 * throwing at once means the id names no document ("/" in it): absent. `failedAs` is what a
 * failed read shows: UNREADABLE, or null for a refusal that means "not for you" (a version not
 * released to a partner), which is still tried again, since a release changes it.
 */
export class Lookups<T> {
  private readonly known = new Map<string, Known<T>>();

  constructor(
    private readonly read: (id: string) => Promise<T | null>,
    private readonly clock: Clock,
    private readonly failedAs: (error: unknown) => null | typeof UNREADABLE = () => UNREADABLE,
  ) {}

  get(id: string): Signal<Looked<T>> {
    let entry = this.known.get(id);
    if (!entry) {
      entry = { value: signal<Looked<T>>(undefined), failures: 0, triedAt: 0, reading: false };
      this.known.set(id, entry);
      this.load(id, entry);
    }
    return entry.value;
  }

  /** The page is back (focus, the network again): failed reads not tried in the last WAKE_GAP_MS are tried now. */
  wake(): void {
    const now = this.clock.now();
    for (const [id, entry] of this.known) {
      if (entry.failures > 0 && !entry.reading && now - entry.triedAt >= WAKE_GAP_MS) this.load(id, entry);
    }
  }

  /** Of `ids`, those whose last read failed are read again now (not those being read). */
  recheck(ids: Iterable<string>): void {
    for (const id of ids) {
      const entry = this.known.get(id);
      if (entry && entry.failures > 0 && !entry.reading) this.load(id, entry);
    }
  }

  private load(id: string, entry: Known<T>): void {
    entry.cancel?.();
    entry.cancel = undefined;
    let reading: Promise<T | null>;
    try {
      reading = this.read(id);
    } catch {
      entry.value.value = null;
      return;
    }
    entry.reading = true;
    entry.triedAt = this.clock.now();
    reading.then(
      (value) => {
        entry.reading = false;
        entry.failures = 0;
        entry.value.value = value;
      },
      (error: unknown) => {
        entry.reading = false;
        entry.failures += 1;
        entry.triedAt = this.clock.now();
        entry.value.value = this.failedAs(error);
        entry.cancel = this.clock.after(retryDelay(entry.failures), () => {
          entry.cancel = undefined;
          if (!entry.reading) this.load(id, entry);
        });
      },
    );
  }
}
