/**
 * The fetch fallback's time limits against a real FHIR server on loopback that answers late: a
 * request's own timeout holds even when the garbage collector runs while it waits (in Node 20,
 * AbortSignal.any loses a timeout signal it holds weakly: nodejs/node#57736), and the hook
 * call's budget ends a request too.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFhirFetcher, FhirFetchError, type FhirFetcherOptions } from "../../../cds-service/fhir/fhir-fetcher.ts";

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

/** Answers every read with a Patient, 3 s late: long after the timeouts below. */
const LATE_MS = 3_000;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    const timer = setTimeout(() => res.setHeader("content-type", "application/fhir+json").end(JSON.stringify({ resourceType: "Patient", id: "p1" })), LATE_MS);
    res.on("close", () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function fetcher(options: Pick<FhirFetcherOptions, "requestTimeoutMs" | "signal">) {
  return createFhirFetcher({ baseUrl, accessToken: "token", pageLimit: 1, pageSize: 10, maxResponseBytes: 1_000_000, ...options });
}

const failureOf = (pending: Promise<unknown>) => pending.then(() => "answered", (error: unknown) => (error instanceof FhirFetchError ? error.failure : String(error)));

describe("the fetch fallback's time limits", () => {
  it("ends a request at its own timeout although the garbage collector ran while it waited", async () => {
    const neverEnds = new AbortController().signal;
    const pending = failureOf(fetcher({ requestTimeoutMs: 300, signal: neverEnds }).read("Patient/p1"));
    setTimeout(collectGarbage, 50);
    await expect(pending).resolves.toBe("timeout");
  });

  it("ends a request when the hook call's budget runs out first", async () => {
    const budget = new AbortController();
    const pending = failureOf(fetcher({ requestTimeoutMs: 60_000, signal: budget.signal }).read("Patient/p1"));
    setTimeout(() => budget.abort(new DOMException("budget", "TimeoutError")), 100);
    await expect(pending).resolves.toBe("timeout");
  });

  it("makes no request once the budget is spent", async () => {
    const spent = AbortSignal.abort(new DOMException("budget", "TimeoutError"));
    await expect(failureOf(fetcher({ requestTimeoutMs: 60_000, signal: spent }).read("Patient/p1"))).resolves.toBe("timeout");
  });
});
