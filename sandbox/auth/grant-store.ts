/**
 * The authorization server's short-lived state: pending EHR launches, authorization codes,
 * refresh tokens and used client-assertion ids. In memory only: the sandbox forgets everything
 * when it stops, which is what a demo wants.
 */
import { randomBytes } from "node:crypto";

/** What an EHR launch carries from the chart to the app. */
export interface LaunchContext {
  patient: string;
  /** The card's appContext string, handed back verbatim in the token response. */
  appContext?: string;
  /** False when the app is shown beside a chart that already shows the patient banner. */
  needPatientBanner: boolean;
}

/** Everything an authorization code or a refresh token stands for. */
export interface Grant {
  clientId: string;
  scopes: string[];
  patient?: string;
  appContext?: string;
  needPatientBanner: boolean;
}

export interface PendingCode extends Grant {
  redirectUri: string;
  codeChallenge: string;
}

export interface GrantStoreOptions {
  /** Clock in milliseconds; tests move it forward to expire things. */
  now?: () => number;
  launchTtlMs?: number;
  codeTtlMs?: number;
  refreshTtlMs?: number;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

function newHandle(): string {
  return randomBytes(24).toString("base64url");
}

/** A map whose entries expire; take() removes the entry so it can be used once only. */
export class ExpiringMap<T> {
  private readonly entries = new Map<string, Expiring<T>>();
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  put(value: T): string {
    this.sweep();
    const handle = newHandle();
    this.entries.set(handle, { value, expiresAt: this.now() + this.ttlMs });
    return handle;
  }

  get(handle: string): T | undefined {
    const entry = this.entries.get(handle);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(handle);
      return undefined;
    }
    return entry.value;
  }

  take(handle: string): T | undefined {
    const value = this.get(handle);
    this.entries.delete(handle);
    return value;
  }

  private sweep(): void {
    const now = this.now();
    for (const [handle, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(handle);
  }
}

export class GrantStore {
  readonly now: () => number;
  readonly launches: ExpiringMap<LaunchContext>;
  readonly codes: ExpiringMap<PendingCode>;
  readonly refreshTokens: ExpiringMap<Grant>;
  /** Client-assertion `jti`s seen, so a captured assertion cannot be replayed. */
  private readonly usedAssertionIds = new Map<string, number>();

  constructor(options: GrantStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.launches = new ExpiringMap(options.launchTtlMs ?? 10 * 60_000, this.now);
    this.codes = new ExpiringMap(options.codeTtlMs ?? 60_000, this.now);
    this.refreshTokens = new ExpiringMap(options.refreshTtlMs ?? 8 * 3600_000, this.now);
  }

  /** Records an assertion id until it expires; false when it was already used. */
  useAssertionId(key: string, expiresAtMs: number): boolean {
    const now = this.now();
    for (const [k, exp] of this.usedAssertionIds) if (exp <= now) this.usedAssertionIds.delete(k);
    if (this.usedAssertionIds.has(key)) return false;
    this.usedAssertionIds.set(key, expiresAtMs);
    return true;
  }
}
