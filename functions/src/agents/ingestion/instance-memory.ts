/**
 * What an instance of the endpoint remembers between requests, so that a batch's transaction can
 * read what it would otherwise read first: the grants of the keys it has found and the JV
 * settings it last read. Neither decides anything: the batch's transaction reads the key's
 * document and the settings in its own round of reads, and a key revoked or expired, a grant
 * or settings changed, refuse or redo the request there (ingest-production.ts). Once a key's
 * batch is written that way, the versions it read let the next batch skip the reads: its commit
 * requires them unchanged (remembered-write.ts).
 */
import { type JvSettings } from "../../domain/jv-settings";
import { Recent } from "../../shared/recent";
import { type GatewayKey } from "./api-keys";
import { type RememberedVersions } from "./remembered-write";

export class KnownKeys extends Recent<GatewayKey> {
  remember(key: GatewayKey): void {
    this.set(key.sha256, key);
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
  /** By key (its SHA-256), the versions its last written batch found (remembered-write.ts); without it every batch reads first. */
  versions?: Recent<RememberedVersions>;
}
