/**
 * File downloads from a server that rate-limits them (a real node:http server on 127.0.0.1, port
 * 0). A busy answer (429, or 503 with Retry-After) is the server asking the client to come back
 * later, not an error: the client waits Retry-After, however long (no cap), as many times as it
 * is asked, within a total time limit, as the status poll does. Real errors (other 5xx, a 503
 * without Retry-After, dropped connections) still end a download after `retry.attempts` in a row.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BulkExportRequest } from "../../../population/bulk/bulk-export.ts";
import { tempDir } from "../fixtures.ts";
import { FAST_RETRY, localExportServers, runPatientExport } from "./export-harness.ts";

const line = (id: string) => `${JSON.stringify({ resourceType: "Patient", id })}\n`;

/** A FHIR server whose export is done at once with the files given (export-harness.ts). */
const { start: exportServer } = localExportServers();

/** The export from exportServer's `base`, with FAST_RETRY: a wait of a second can only come from Retry-After. */
const runExport = (base: string, extra: Partial<BulkExportRequest> = {}) => runPatientExport({ fhirBaseUrl: base, ...extra });

const busy = (status: number, retryAfter: string | null) => (response: ServerResponse) =>
  response.writeHead(status, retryAfter === null ? {} : { "retry-after": retryAfter }).end();
const content = (name: string) => line(name.replace(".ndjson", ""));
const serve = (name: string, response: ServerResponse) => response.writeHead(200, { "content-type": "application/fhir+ndjson" }).end(content(name));

describe("downloads the server answers busy (429, 503 with Retry-After)", () => {
  it("waits out more busy answers of a file than retry.attempts, each time the Retry-After (past the backoff's cap), and downloads it", async () => {
    // Four busy answers a file; retry.attempts is 3, and the backoff at most 20 ms.
    const plan = [busy(429, "1"), busy(503, "1"), busy(429, "1"), busy(429, "1")];
    const { base, requests } = await exportServer(["a.ndjson", "b.ndjson"], (name, n, response) => (n <= plan.length ? plan[n - 1]!(response) : serve(name, response)));
    const { done, dir, events, retries } = runExport(base);
    await done;
    expect(readFileSync(join(dir, "files", "Patient.00000.ndjson"), "utf8")).toBe(line("a"));
    expect(readFileSync(join(dir, "files", "Patient.00001.ndjson"), "utf8")).toBe(line("b"));
    for (const times of requests.values()) {
      expect(times).toHaveLength(5);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(950);
    }
    const busyEvents = events.filter((e) => e.event === "download busy").map((e) => e.fields);
    for (const file of ["Patient.00000.ndjson", "Patient.00001.ndjson"]) {
      expect(busyEvents.filter((fields) => fields.file === file)).toEqual([
        { file, status: 429, retryAfterMs: 1000 },
        { file, status: 503, retryAfterMs: 1000 },
        { file, status: 429, retryAfterMs: 1000 },
        { file, status: 429, retryAfterMs: 1000 },
      ]);
    }
    // A busy answer is not an error: nothing went to the retry log.
    expect(retries).toEqual([]);
  }, 15_000);

  it("downloads every file from a server that grants one download a second and answers the others 429", async () => {
    const files = Array.from({ length: 6 }, (_, i) => `f${i}.ndjson`);
    const granted = new Map<number, number>();
    let refused = 0;
    const { base, requests } = await exportServer(files, (name, _n, response) => {
      const second = Math.floor(Date.now() / 1000);
      if ((granted.get(second) ?? 0) >= 1) {
        refused++;
        return busy(429, "1")(response);
      }
      granted.set(second, (granted.get(second) ?? 0) + 1);
      serve(name, response);
    });
    const { done, dir } = runExport(base, { parallel: 4 });
    await done;
    expect(readdirSync(join(dir, "files")).sort()).toEqual(files.map((_, i) => `Patient.${String(i).padStart(5, "0")}.ndjson`));
    files.forEach((name, i) => expect(readFileSync(join(dir, "files", `Patient.${String(i).padStart(5, "0")}.ndjson`), "utf8")).toBe(content(name)));
    // Six files at one a second over four lanes: a file waits for those ahead of it, refused each
    // second, more times than retry.attempts.
    expect(refused).toBeGreaterThan(0);
    expect(Math.max(...[...requests.values()].map((times) => times.length - 1))).toBeGreaterThanOrEqual(FAST_RETRY.attempts);
  }, 30_000);

  it("bounds a file the server is busy for forever by the time limit, not by a count, with a message that says how to go on", async () => {
    const { base, requests } = await exportServer(["a.ndjson"], (_name, _n, response) => busy(429, "1")(response));
    const { done } = runExport(base, { pollLimitMs: 2_500 });
    // Tries at 0, 1 and 2 s; the next, at 3 s, would pass the limit.
    await expect(done).rejects.toThrow(
      /^download Patient\.00000\.ndjson: the server was still busy after 2 s \(3 answers 429, or 503 with Retry-After; the next try would be in 1 s, past the time limit\): run the same command again to download the files still missing$/,
    );
    expect(requests.get("a.ndjson")).toHaveLength(3);
  }, 10_000);

  it("takes a Retry-After longer than 30 s as it is: one past the time limit ends the download at once, rather than asking again sooner", async () => {
    const { base, requests } = await exportServer(["a.ndjson"], (_name, _n, response) => busy(429, "120")(response));
    const { done } = runExport(base, { pollLimitMs: 60_000 });
    await expect(done).rejects.toThrow(/^download Patient\.00000\.ndjson: the server was still busy after 0 s \(1 answer 429, or 503 with Retry-After; the next try would be in 120 s, past the time limit\): run the same command again/);
    expect(requests.get("a.ndjson")).toHaveLength(1);
  });
});

describe("downloads that fail (real errors)", () => {
  it("end after retry.attempts errors in a row (5xx, a 503 without Retry-After included), naming the file and the status", async () => {
    const { base, requests } = await exportServer(["a.ndjson"], (_name, n, response) => busy([500, 503, 502, 500][n - 1]!, null)(response));
    const { done, retries } = runExport(base);
    await expect(done).rejects.toThrow(/^download Patient\.00000\.ndjson: HTTP 502$/);
    expect(requests.get("a.ndjson")).toHaveLength(3);
    expect(retries).toEqual(["download Patient.00000.ndjson: HTTP 500", "download Patient.00000.ndjson: HTTP 503"]);
  });

  it("count in a row only: a busy answer between errors starts the count again", async () => {
    const plan = [busy(500, null), busy(503, null), busy(429, "0"), busy(500, null), busy(502, null)];
    const { base, requests } = await exportServer(["a.ndjson"], (name, n, response) => (n <= plan.length ? plan[n - 1]!(response) : serve(name, response)));
    const { done, dir, retries } = runExport(base);
    await done;
    expect(readFileSync(join(dir, "files", "Patient.00000.ndjson"), "utf8")).toBe(line("a"));
    expect(requests.get("a.ndjson")).toHaveLength(6);
    expect(retries).toHaveLength(4);
  }, 10_000);

  it("stop at once when the .partial file cannot be opened, naming the file, and cancel the answer: the server sees the connection closed", async () => {
    let closed = false;
    let sending: NodeJS.Timeout | undefined;
    // A file that never ends: only the client's cancel closes its connection.
    const { base, requests, server } = await exportServer(["a.ndjson"], (_name, _n, response) => {
      response.on("close", () => {
        closed = true;
        clearInterval(sending);
      });
      response.writeHead(200, { "content-type": "application/fhir+ndjson" });
      sending = setInterval(() => response.write(line("a").repeat(100)), 5);
    });
    const dir = join(tempDir("patella-download-open-"), "export");
    // A folder where the .partial file goes: opening it for writing fails (EISDIR).
    mkdirSync(join(dir, "files", "Patient.00000.ndjson.partial"), { recursive: true });
    try {
      const { done } = runExport(base, { dir });
      await expect(done).rejects.toThrow(/^download Patient\.00000\.ndjson: EISDIR: .*Patient\.00000\.ndjson\.partial/);
      const waitedFrom = Date.now();
      while (!closed && Date.now() - waitedFrom < 2_000) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(closed).toBe(true);
      expect(requests.get("a.ndjson")).toHaveLength(1);
    } finally {
      clearInterval(sending);
      server.closeAllConnections();
    }
  });

  it("end after retry.attempts dropped connections in a row", async () => {
    const { base, requests } = await exportServer(["a.ndjson"], (_name, _n, response) => {
      response.writeHead(200, { "content-length": "1000" });
      response.write("x".repeat(10));
      setTimeout(() => response.socket?.destroy(), 10);
    });
    const { done, retries } = runExport(base);
    await expect(done).rejects.toThrow(/^download Patient\.00000\.ndjson: /);
    expect(requests.get("a.ndjson")).toHaveLength(3);
    expect(retries).toHaveLength(2);
  });
});
