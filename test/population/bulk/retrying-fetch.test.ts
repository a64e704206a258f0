/**
 * What the Bulk Data client retries: connections that drop (a real node:http server on 127.0.0.1
 * that cuts them), not requests that would fail the same way again; and Retry-After as the
 * server may send it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mayHaveReachedServer, retryAfterMs, type ServerAnswer, untilAnswered, withRetries } from "../../../population/bulk/retrying-fetch.ts";

let server: Server;
let base: string;
let requests = 0;

beforeAll(async () => {
  // The first request of each pair is cut after part of its body, the second is answered whole.
  server = createServer((_request, response) => {
    if (++requests % 2 === 1) {
      response.writeHead(200, { "content-length": "1000" });
      response.write("x".repeat(100));
      setTimeout(() => response.socket?.destroy(), 20);
    } else {
      response.end("x".repeat(1000));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const policy = (retries: string[]) => ({ attempts: 4, baseDelayMs: 5, maxDelayMs: 10, onRetry: (why: string) => retries.push(why) });

describe("withRetries", () => {
  it("retries a body cut short (Content-Length not reached) and returns the whole one", async () => {
    const retries: string[] = [];
    const body = await withRetries("download", policy(retries), async () => (await fetch(base)).text());
    expect(body).toHaveLength(1000);
    expect(retries).toEqual(["download: terminated (other side closed)"]);
  });

  it("names the request and the cause when a connection is refused to the end", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const retries: string[] = [];
    const error = await withRetries("smart-configuration", policy(retries), () => fetch(`http://127.0.0.1:${port}/`)).catch((e: Error) => e);
    expect(String(error)).toBe(`Error: smart-configuration: fetch failed (connect ECONNREFUSED 127.0.0.1:${port})`);
    expect(retries).toHaveLength(3);
  });

  it("does not retry a URL that does not parse (a --fhir without its scheme): it fails at once", async () => {
    const retries: string[] = [];
    await expect(withRetries("smart-configuration", policy(retries), () => fetch("ehr.example/fhir/.well-known/smart-configuration"))).rejects.toThrow(/Failed to parse URL/);
    expect(retries).toEqual([]);
  });

  it("does not retry a bug's TypeError", async () => {
    const retries: string[] = [];
    const broken = async () => (undefined as unknown as { url: string }).url;
    await expect(withRetries("status", policy(retries), broken)).rejects.toThrow(TypeError);
    expect(retries).toEqual([]);
  });
});

/** fetch's error for a connection that failed, as Node 20's fetch (undici) reports it. */
const fetchFailed = (cause: Error) => new TypeError("fetch failed", { cause });
/** A socket or resolver error as Node makes one: its message, code and system call. */
const systemError = (message: string, code: string, syscall?: string) => Object.assign(new Error(message), { code, ...(syscall ? { syscall } : {}) });

describe("mayHaveReachedServer (whether a kick-off that failed may be sent again)", () => {
  it("is false for a connection never made: a name not found, a connect refused or past its time limit, a TLS handshake refused", () => {
    expect(mayHaveReachedServer(fetchFailed(systemError("getaddrinfo ENOTFOUND ehr.example", "ENOTFOUND", "getaddrinfo")))).toBe(false);
    expect(mayHaveReachedServer(fetchFailed(systemError("connect ECONNREFUSED 127.0.0.1:9", "ECONNREFUSED", "connect")))).toBe(false);
    expect(mayHaveReachedServer(fetchFailed(systemError("connect EHOSTUNREACH 10.0.0.9:443", "EHOSTUNREACH", "connect")))).toBe(false);
    expect(mayHaveReachedServer(fetchFailed(systemError("Connect Timeout Error", "UND_ERR_CONNECT_TIMEOUT")))).toBe(false);
    expect(mayHaveReachedServer(fetchFailed(systemError("self-signed certificate", "DEPTH_ZERO_SELF_SIGNED_CERT")))).toBe(false);
    expect(mayHaveReachedServer(fetchFailed(systemError("Hostname/IP does not match certificate's altnames", "ERR_TLS_CERT_ALTNAME_INVALID")))).toBe(false);
  });

  it("is false when every address of a name failed to connect, whatever the first one's code (an AggregateError carries only that)", () => {
    // Node 20 tries ::1 then 127.0.0.1 for localhost: the first timed out after its 250 ms, the second refused.
    const both = Object.assign(
      new AggregateError([systemError("connect ETIMEDOUT ::1:443", "ETIMEDOUT", "connect"), systemError("connect ECONNREFUSED 127.0.0.1:443", "ECONNREFUSED", "connect")]),
      { code: "ETIMEDOUT" },
    );
    expect(mayHaveReachedServer(fetchFailed(both))).toBe(false);
  });

  it("is true for a connection dropped or reset once made, and for a cause it cannot place", () => {
    expect(mayHaveReachedServer(fetchFailed(systemError("other side closed", "UND_ERR_SOCKET")))).toBe(true);
    expect(mayHaveReachedServer(fetchFailed(systemError("read ECONNRESET", "ECONNRESET", "read")))).toBe(true);
    expect(mayHaveReachedServer(fetchFailed(new Error("something else")))).toBe(true);
    expect(mayHaveReachedServer(fetchFailed(new AggregateError([systemError("connect ECONNREFUSED ::1:443", "ECONNREFUSED", "connect"), new Error("?")])))).toBe(true);
    // Not a connection error at all (a bug's TypeError): nothing was sent.
    expect(mayHaveReachedServer(new TypeError("x is undefined"))).toBe(false);
  });
});

describe("withRetries' words for a name whose every address failed", () => {
  it("gives each address's error, where the AggregateError has no message of its own", async () => {
    const both = Object.assign(
      new AggregateError([systemError("connect ECONNREFUSED ::1:9", "ECONNREFUSED", "connect"), systemError("connect ECONNREFUSED 127.0.0.1:9", "ECONNREFUSED", "connect")]),
      { code: "ECONNREFUSED" },
    );
    const retries: string[] = [];
    const error = await withRetries("smart-configuration", policy(retries), async () => {
      throw fetchFailed(both);
    }).catch((e: Error) => e);
    expect(String(error)).toBe("Error: smart-configuration: fetch failed (connect ECONNREFUSED ::1:9; connect ECONNREFUSED 127.0.0.1:9)");
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("Wed, 31 Dec 2025 00:00:00 GMT", now)).toBe(0);
  });

  it("takes a negative or fractional number for unreadable (back off), not for a date long past (retry at once)", () => {
    expect(retryAfterMs("-5", now)).toBeNull();
    expect(retryAfterMs("1.5", now)).toBeNull();
    expect(retryAfterMs("soon", now)).toBeNull();
  });
});

describe("untilAnswered", () => {
  it("caps a fault's Retry-After at the policy's longest backoff, as withRetries does, rather than ending as too long", async () => {
    const answers: ServerAnswer<string>[] = [
      { kind: "fault", error: new Error("HTTP 500"), why: "HTTP 500", retryAfterMs: 86_400_000 },
      { kind: "done", value: "file" },
    ];
    const waits: number[] = [];
    const value = untilAnswered(async () => answers.shift()!, {
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 20 },
      limitMs: 60_000,
      onWait: (_answer, ms) => void waits.push(ms),
      tooLong: () => new Error("too long"),
    });
    await expect(value).resolves.toBe("file");
    expect(waits).toEqual([20]);
  });

  it("waits out a Retry-After longer than a timer can hold (24.8 days) instead of asking again at once", async () => {
    vi.useFakeTimers();
    try {
      let asked = 0;
      const thirtyDays = 30 * 86_400_000;
      const pending = untilAnswered<string>(async () => (++asked === 1 ? { kind: "busy", status: 429, retryAfterMs: thirtyDays } : { kind: "done", value: "file" }), {
        retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 20 },
        limitMs: 60 * 86_400_000,
        onWait: () => undefined,
        tooLong: () => new Error("too long"),
      });
      await vi.advanceTimersByTimeAsync(60_000);
      expect(asked).toBe(1);
      await vi.advanceTimersByTimeAsync(2 ** 31);
      await expect(pending).resolves.toBe("file");
      expect(asked).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
