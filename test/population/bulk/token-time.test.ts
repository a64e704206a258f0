/**
 * The time limits time the FHIR server, not the token: a request's limit (and a download's
 * silence limit) starts once its token is in hand, and a token that cannot be had ends the request
 * at once with the token's own error (TokenFailed), not as a request past its limit retried
 * `attempts` times, each asking the token endpoint for its own tries again. Against a real
 * node:http server on 127.0.0.1 (port 0); limits of 200 ms.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { backendServicesToken, fetchWithToken, TokenFailed } from "../../../population/bulk/backend-services-token.ts";
import { TimedOut, timed } from "../../../population/bulk/request-timeouts.ts";
import { HttpError } from "../../../population/bulk/retrying-fetch.ts";
import { tempDir } from "../fixtures.ts";
import { FAST_RETRY, runPatientExport } from "./export-harness.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the server does with the n-th (from 1) request of a route; one that does nothing stalls it. */
type Route = (response: ServerResponse, n: number) => void;
const json = (status: number, body: unknown) => (response: ServerResponse) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
const TOKEN = { access_token: "tok", token_type: "bearer", expires_in: 300 };

let server: Server | null = null;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

/**
 * A FHIR server (base /fhir) with one export file, `a.ndjson`, whose requests `routes` answer by
 * key: "token", "$export", "status", "file", "DELETE"; by default a token for anyone, an export
 * done at once, the file's 12 bytes. `count(key)`: how many requests the route had.
 */
async function serverWith(routes: Partial<Record<string, Route>>) {
  const counts = new Map<string, number>();
  const defaults: Record<string, Route> = {
    config: (response) => json(200, { token_endpoint: `${base}/token` })(response),
    token: json(200, TOKEN),
    $export: (response) => response.writeHead(202, { "content-location": "/fhir/status/1" }).end(),
    status: (response) =>
      json(200, { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url: `${base}/files/a.ndjson` }], error: [] })(response),
    file: (response) => response.writeHead(200, { "content-type": "application/fhir+ndjson" }).end('{"id":"p1"}\n'),
    DELETE: (response) => response.writeHead(202).end(),
  };
  const keyOf = (request: IncomingMessage): string => {
    const url = request.url!;
    if (request.method === "DELETE") return "DELETE";
    if (url.endsWith("/.well-known/smart-configuration")) return "config";
    if (url === "/fhir/token") return "token";
    if (url.includes("$export")) return "$export";
    if (url === "/fhir/status/1") return "status";
    return url === "/fhir/files/a.ndjson" ? "file" : "other";
  };
  server = createServer((request, response) => {
    const key = keyOf(request);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    (routes[key] ?? defaults[key] ?? ((r: ServerResponse) => r.writeHead(404).end()))(response, counts.get(key)!);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  return { base, count: (key: string) => counts.get(key) ?? 0 };
}

let keyFile: string;
beforeAll(async () => {
  const pair = await generateKeyPair("ES384", { extractable: true });
  keyFile = join(tempDir("patella-token-time-key-"), "private.jwk.json");
  writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(pair.privateKey)), alg: "ES384" }), { mode: 0o600 });
});
const credentials = () => ({ clientId: "c", keyFile, scope: "system/Patient.rs" });

describe("timed", () => {
  it("throws TimedOut for its own abort", async () => {
    const error = await timed("x", 100, (signal) => new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)))).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TimedOut);
    expect((error as Error).message).toBe("x: no complete answer within 100 ms");
  });

  it("throws a request's own error as it is, also one that comes after the limit", async () => {
    const refused = new HttpError(401, "token request: HTTP 401 invalid_client");
    const error = await timed("x", 100, async () => {
      await sleep(250);
      throw refused;
    }).catch((e: Error) => e);
    expect(error).toBe(refused);
  });
});

describe("fetchWithToken with a request's clock", () => {
  it("starts the clock once the token is in hand: a token that takes 300 ms does not use up a limit of 200 ms", async () => {
    const { base, count } = await serverWith({});
    const slowToken = async () => {
      await sleep(300);
      return "tok";
    };
    const text = await timed("x", 200, async (_signal, clock) => (await fetchWithToken(`${base}/files/a.ndjson`, {}, slowToken, base, clock)).text());
    expect(text).toBe('{"id":"p1"}\n');
    expect(count("file")).toBe(1);
  });

  it("throws a token that cannot be had as TokenFailed, with the token's message, without a request to the server", async () => {
    const { base, count } = await serverWith({});
    const failure = new Error("token: no complete answer within 200 ms");
    const error = await fetchWithToken(`${base}/files/a.ndjson`, {}, () => Promise.reject(failure), base).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TokenFailed);
    expect((error as Error).message).toBe("token: no complete answer within 200 ms");
    expect((error as Error).cause).toBe(failure);
    expect(count("file")).toBe(0);
  });
});

describe("an export whose token is slow or fails", () => {
  it("does not count a token that takes 300 ms against the requests' limit of 200 ms (kick-off, polls, download, DELETE)", async () => {
    const { base, count } = await serverWith({});
    let asked = 0;
    const token = async () => {
      asked++;
      await sleep(300);
      return "tok";
    };
    const { done, dir, retries } = runPatientExport({ fhirBaseUrl: base, token, retry: { ...FAST_RETRY, requestTimeoutMs: 200 }, downloadIdleMs: 200, parallel: 1 });
    await done;
    expect(retries).toEqual([]);
    expect(readFileSync(join(dir, "files", "Patient.00000.ndjson"), "utf8")).toBe('{"id":"p1"}\n');
    // Kick-off, one poll, one download, the DELETE: each once, each with its slow token.
    expect([count("$export"), count("status"), count("file"), count("DELETE")]).toEqual([1, 1, 1, 1]);
    expect(asked).toBe(4);
  });

  it("ends a download at once with the token's error when the token endpoint stops answering mid-export: its own 3 tries, not 3 for each of the download's", async () => {
    // The first token is given; the file answers 401, so a new one is asked for, which never comes.
    const { base, count } = await serverWith({ token: (response, n) => void (n === 1 && json(200, TOKEN)(response)), file: (response) => response.writeHead(401).end() });
    const tokenRetries: string[] = [];
    const token = await backendServicesToken(base, credentials(), { ...FAST_RETRY, requestTimeoutMs: 200, onRetry: (why) => tokenRetries.push(why) });
    const { done, retries } = runPatientExport({ fhirBaseUrl: base, token, downloadIdleMs: 200, parallel: 1 });
    const error = await done.catch((e: Error) => e);
    expect(error).toBeInstanceOf(TokenFailed);
    expect((error as Error).message).toBe("token: no complete answer within 200 ms");
    expect(count("token")).toBe(1 + 3);
    expect(tokenRetries).toEqual(["token: no complete answer within 200 ms", "token: no complete answer within 200 ms"]);
    expect(count("file")).toBe(1);
    expect(retries).toEqual([]);
  });

  it("reports a client refused by the token endpoint (401 invalid_client) at once, when the refusal comes after the download's silence limit", async () => {
    const { base, count } = await serverWith({
      token: (response, n) => void (n === 1 ? json(200, TOKEN)(response) : setTimeout(() => json(401, { error: "invalid_client" })(response), 400)),
      file: (response) => response.writeHead(401).end(),
    });
    const token = await backendServicesToken(base, credentials(), { ...FAST_RETRY, requestTimeoutMs: 2_000 });
    const { done, retries } = runPatientExport({ fhirBaseUrl: base, token, downloadIdleMs: 200, parallel: 1 });
    const error = await done.catch((e: Error) => e);
    expect(error).toBeInstanceOf(TokenFailed);
    expect((error as Error).message).toMatch(/^token request: HTTP 401 invalid_client\. The authorization server does not accept client c: /);
    expect(count("token")).toBe(2);
    expect(count("file")).toBe(1);
    expect(retries).toEqual([]);
  });

  it("ends the status poll with the token's error, not taken for the export gone (a token endpoint's 404)", async () => {
    // The first token is given; the poll answers 401, and the token endpoint then answers 404.
    const { base, count } = await serverWith({ token: (response, n) => (n === 1 ? json(200, TOKEN)(response) : response.writeHead(404).end()), status: (response) => response.writeHead(401).end() });
    const token = await backendServicesToken(base, credentials(), FAST_RETRY);
    const { done, dir, retries } = runPatientExport({ fhirBaseUrl: base, token });
    const error = await done.catch((e: Error) => e);
    expect((error as Error).message).toBe("token request: HTTP 404");
    expect(count("status")).toBe(1);
    expect(retries).toEqual([]);
    // The export's state is kept, to resume.
    expect(JSON.parse(readFileSync(join(dir, "export-state.json"), "utf8")).statusUrl).toBe(`${base}/status/1`);
  });
});
