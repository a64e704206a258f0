/**
 * The time limit on the small requests (smart-configuration, the token, the kick-off, each status
 * poll), against a real node:http server on 127.0.0.1 (port 0) that stalls: a try not answered in
 * full within `requestTimeoutMs` is given up, counted as a fault (retried, told to onRetry) like a
 * dropped connection, and `attempts` of them in a row end the request with a message that says so.
 * The limit here is 200 ms, for the same code as the default minute.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { backendServicesToken } from "../../../population/bulk/backend-services-token.ts";
import { KickOffRefusedError, KickOffUnansweredError } from "../../../population/bulk/bulk-export.ts";
import { fhirAccess } from "../../../population/bulk/export-input.ts";
import { tempDir } from "../fixtures.ts";
import { populationCli } from "../job/job-fixtures.ts";
import { FAST_RETRY, runPatientExport } from "./export-harness.ts";

const LIMIT = { ...FAST_RETRY, requestTimeoutMs: 200 };
const MANIFEST = JSON.stringify({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [], error: [] });

/** What the server does with the n-th (from 1) request of a path; one that does nothing stalls it. */
type Route = (response: ServerResponse, n: number) => void;
const stall: Route = () => undefined;
const json = (text: string) => (response: ServerResponse) => response.writeHead(200, { "content-type": "application/json" }).end(text);

let server: Server | null = null;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

/**
 * A FHIR server (base /fhir) whose requests are answered by `routes`, keyed by path (the kick-off
 * by "$export", a DELETE by "DELETE"); by default a token for anyone and an export done at once
 * with no files. `count(key)` is how many requests a route had.
 */
async function serverWith(routes: Record<string, Route>) {
  const counts = new Map<string, number>();
  const defaults: Record<string, Route> = {
    "/fhir/.well-known/smart-configuration": (response) => json(JSON.stringify({ token_endpoint: `${base}/token` }))(response),
    "/fhir/token": json(JSON.stringify({ access_token: "tok", token_type: "bearer", expires_in: 300 })),
    $export: (response) => response.writeHead(202, { "content-location": "/fhir/status/1" }).end(),
    "/fhir/status/1": json(MANIFEST),
    DELETE: (response) => response.writeHead(202).end(),
  };
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const key = request.method === "DELETE" ? "DELETE" : request.url!.includes("$export") ? "$export" : request.url!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    (routes[key] ?? defaults[key] ?? ((r: ServerResponse) => r.writeHead(404).end()))(response, counts.get(key)!);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/fhir`;
  return { base, count: (key: string) => counts.get(key) ?? 0 };
}

let keyFile: string;
beforeAll(async () => {
  const pair = await generateKeyPair("ES384", { extractable: true });
  keyFile = join(tempDir("patella-timeouts-key-"), "private.jwk.json");
  writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(pair.privateKey)), alg: "ES384" }), { mode: 0o600 });
});

const credentials = () => ({ clientId: "c", keyFile, scope: "system/Patient.rs" });

describe("the token request", () => {
  it("gives up a token endpoint that never answers, each try after the limit, retried as a fault", async () => {
    const { base, count } = await serverWith({ "/fhir/token": stall });
    const retries: string[] = [];
    const token = await backendServicesToken(base, credentials(), { ...LIMIT, onRetry: (why) => retries.push(why) });
    const started = Date.now();
    await expect(token()).rejects.toThrow(/^token: no complete answer within 200 ms$/);
    const took = Date.now() - started;
    expect(count("/fhir/token")).toBe(3);
    expect(retries).toEqual(["token: no complete answer within 200 ms", "token: no complete answer within 200 ms"]);
    expect(took).toBeGreaterThanOrEqual(3 * 200);
    expect(took).toBeLessThan(3_000);
  });

  it("gives up an answer that comes a byte at a time, slower in all than the limit (the limit is on the whole answer, not on silences)", async () => {
    const text = JSON.stringify({ access_token: "tok", token_type: "bearer", expires_in: 300 });
    const { base } = await serverWith({
      "/fhir/token": (response) => {
        response.writeHead(200, { "content-type": "application/json" });
        let sent = 0;
        // A byte every 20 ms: the answer would take over a second.
        const drip = setInterval(() => (sent < text.length ? response.write(text[sent++]) : response.end()), 20);
        response.on("close", () => clearInterval(drip));
      },
    });
    const token = await backendServicesToken(base, credentials(), LIMIT);
    await expect(token()).rejects.toThrow(/^token: no complete answer within 200 ms$/);
  });

  it("takes the limit from the job's options (fhirAccess, as --request-timeout gives it): a smart-configuration that never answers", async () => {
    const { base, count } = await serverWith({ "/fhir/.well-known/smart-configuration": stall });
    const options = { fhirBaseUrl: base, clientId: "c", keyFile, jobObservationsOnly: false, parallel: 1, outDir: tempDir("patella-timeouts-out-"), onEvent: () => undefined };
    await expect(fhirAccess({ ...options, retry: FAST_RETRY, requestTimeoutMs: 200 })).rejects.toThrow(/^smart-configuration: no complete answer within 200 ms$/);
    expect(count("/fhir/.well-known/smart-configuration")).toBe(FAST_RETRY.attempts);
  });
});

describe("npm run population -- --fhir ... --request-timeout S", () => {
  it("gives each try S seconds, and logs a try past them as a retry", async () => {
    // The first smart-configuration request is not answered, the second is refused (404): the run
    // stops there, after one retry, without a token or an export.
    const { base, count } = await serverWith({ "/fhir/.well-known/smart-configuration": (response, n) => void (n > 1 && response.writeHead(404).end()) });
    const out = join(tempDir("patella-timeouts-cli-"), "out");
    const started = Date.now();
    const run = await populationCli(["--fhir", base, "--client-id", "c", "--key", keyFile, "--out", out, "--request-timeout", "1"]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('"event":"retry","why":"smart-configuration: no complete answer within 1 s"');
    expect(run.stderr).toContain(`error: ${base}/.well-known/smart-configuration: HTTP 404`);
    expect(count("/fhir/.well-known/smart-configuration")).toBe(2);
    // A second of silence and a backoff of at most a second, not the default minute.
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);
});

describe("the export's requests", () => {
  it("gives up a kick-off that never answers after one try (the server may have started the export): says so, stores nothing, and leaves no folder", async () => {
    const { base, count } = await serverWith({ $export: stall });
    const { done, dir, retries } = runPatientExport({ fhirBaseUrl: base, retry: LIMIT });
    const error = await done.catch((e: Error) => e);
    expect(error).toBeInstanceOf(KickOffUnansweredError);
    // Still a KickOffRefusedError for the job (job/cli.ts): OUT left as found, as nothing here resumes it.
    expect(error).toBeInstanceOf(KickOffRefusedError);
    expect((error as Error).message).toBe(
      "export kick-off: no complete answer within 200 ms. Not sent again: the server may have started the export all the same, and another kick-off would start another. " +
        "This client never got its status URL, so it cannot poll or cancel it: ask the FHIR server's administrators whether an export by this client is running, " +
        "and to cancel it (DELETE on its status URL) or let it expire; then run the same command again (with a longer --request-timeout if the server is slow to answer a kick-off)",
    );
    expect((error as Error).message).not.toMatch(/no export to resume/);
    expect(count("$export")).toBe(1);
    expect(retries).toEqual([]);
    expect(existsSync(join(dir, "export-state.json"))).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it("gives up a kick-off whose connection drops after the server read it, after one try (it may have started the export): says so, and leaves no folder", async () => {
    const { base, count } = await serverWith({
      $export: (response, n) => (n === 1 ? response.socket!.destroy() : response.writeHead(202, { "content-location": "/fhir/status/1" }).end()),
    });
    const { done, dir, retries } = runPatientExport({ fhirBaseUrl: base, retry: LIMIT });
    const error = await done.catch((e: Error) => e);
    expect(error).toBeInstanceOf(KickOffUnansweredError);
    expect((error as Error).message).toMatch(/^export kick-off: fetch failed \(other side closed\)\. Not sent again: the server may have started the export all the same/);
    expect(count("$export")).toBe(1);
    expect(retries).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it("retries a kick-off whose connection was refused (the request never left this machine)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { done, retries } = runPatientExport({ fhirBaseUrl: `http://127.0.0.1:${port}/fhir`, retry: LIMIT });
    const refused = `export kick-off: fetch failed (connect ECONNREFUSED 127.0.0.1:${port})`;
    const error = await done.catch((e: Error) => e);
    expect(error).toBeInstanceOf(KickOffRefusedError);
    expect(error).not.toBeInstanceOf(KickOffUnansweredError);
    expect((error as Error).message).toBe(refused);
    expect(retries).toEqual(Array(LIMIT.attempts - 1).fill(`export kick-off: fetch failed (connect ECONNREFUSED 127.0.0.1:${port})`));
  });

  it("still retries a kick-off answered with a server error (HTTP 500: the server did not take it)", async () => {
    const { base, count } = await serverWith({ $export: (response, n) => (n === 1 ? response.writeHead(500).end() : response.writeHead(202, { "content-location": "/fhir/status/1" }).end()) });
    const { done, retries } = runPatientExport({ fhirBaseUrl: base, retry: LIMIT });
    await done;
    expect(count("$export")).toBe(2);
    expect(retries).toEqual(["export kick-off: HTTP 500"]);
  });

  it("retries a status poll that is not answered, and goes on when the next one is", async () => {
    const { base, count } = await serverWith({ "/fhir/status/1": (response, n) => (n === 1 ? undefined : json(MANIFEST)(response)) });
    const { done, retries } = runPatientExport({ fhirBaseUrl: base, retry: LIMIT });
    await done;
    expect(count("/fhir/status/1")).toBe(2);
    expect(retries).toEqual(["export status: no complete answer within 200 ms"]);
  });

  it("ends the poll after retry.attempts polls not answered, keeping the status URL to resume", async () => {
    const { base, count } = await serverWith({ "/fhir/status/1": stall });
    const { done, dir } = runPatientExport({ fhirBaseUrl: base, retry: LIMIT });
    await expect(done).rejects.toThrow(/^export status: no complete answer within 200 ms$/);
    expect(count("/fhir/status/1")).toBe(3);
    expect(JSON.parse(readFileSync(join(dir, "export-state.json"), "utf8")).statusUrl).toBe(`${base}/status/1`);
  });

  it("does not fail a finished export for a DELETE that is not answered: says the export was not deleted", async () => {
    const { base } = await serverWith({ DELETE: stall });
    const { done, events } = runPatientExport({ fhirBaseUrl: base, retry: LIMIT });
    await done;
    expect(events.filter((e) => e.event === "export not deleted")).toEqual([{ event: "export not deleted", fields: { reason: "DELETE export: no complete answer within 200 ms" } }]);
  });
});
