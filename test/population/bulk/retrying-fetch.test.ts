/**
 * What the Bulk Data client retries: connections that drop (a real node:http server on 127.0.0.1
 * that cuts them), not requests that would fail the same way again; and Retry-After as the
 * server may send it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { retryAfterMs, type ServerAnswer, untilAnswered, withRetries } from "../../../population/bulk/retrying-fetch.ts";

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
