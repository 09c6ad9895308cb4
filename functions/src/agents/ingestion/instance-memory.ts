/**
 * What an instance of the endpoint remembers between requests, so that a batch's transaction can
 * read what it would otherwise read first: the grants of the keys it has found and the JV
 * settings it last read. Neither decides anything: the batch's transaction reads the key's
 * document and the settings in its own round of reads, and a key revoked or expired, a grant
 * or settings changed, refuse or redo the request there (ingest-production.ts).
 */
import { type JvSettings } from "../../domain/jv-settings";
import { type GatewayKey } from "./api-keys";

export class KnownKeys {
  private readonly keys = new Map<string, GatewayKey>();

  constructor(private readonly capacity = 1_000) {}

  /** The key's grant, kept as the most recently used. */
  get(sha256: string): GatewayKey | undefined {
    const key = this.keys.get(sha256);
    if (key) this.remember(key);
    return key;
  }

  remember(key: GatewayKey): void {
    this.keys.delete(key.sha256);
    // The least recently used goes first: a Map iterates in insertion order.
    if (this.keys.size >= this.capacity) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(key.sha256, key);
  }

  forget(sha256: string): void {
    this.keys.delete(sha256);
  }
}

/**
 * Keys this instance answered 429, until their window ends: their next requests are refused
 * before the body is parsed or anything is read (a limited gateway resending 1 MiB bodies costs
 * the instance nothing). Another instance learns it from its own first 429.
 */
export class RateLimitedKeys {
  private readonly until = new Map<string, number>();

  constructor(private readonly capacity = 1_000) {}

  limit(sha256: string, untilMs: number): void {
    this.until.delete(sha256);
    if (this.until.size >= this.capacity) this.until.delete(this.until.keys().next().value!);
    this.until.set(sha256, untilMs);
  }

  /** Seconds until the key's window ends, or undefined when it is not limited now. */
  retryAfterSeconds(sha256: string, nowMs: number): number | undefined {
    const until = this.until.get(sha256);
    if (until === undefined) return undefined;
    if (until <= nowMs) {
      this.until.delete(sha256);
      return undefined;
    }
    return Math.max(1, Math.ceil((until - nowMs) / 1000));
  }
}

export interface InstanceMemory {
  keys: KnownKeys;
  limited: RateLimitedKeys;
  /** The JV settings as this instance last read them. */
  settings?: JvSettings;
}
