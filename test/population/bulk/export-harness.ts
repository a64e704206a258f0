/**
 * The Bulk Data client's export as its tests run it (busy-requests, download-busy,
 * download-limits and hostile-server): Patients into a fresh folder, its events and retry lines
 * recorded; the msw server that stands in for the FHIR server where a test mocks it; and a real
 * one on 127.0.0.1 where a test needs real connections (files that never end, servers that stall).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { bulkExport, type BulkExportRequest } from "../../../population/bulk/bulk-export.ts";
import { tempDir } from "../fixtures.ts";

/** Three tries, and a backoff capped at 20 ms: a wait of a second can only come from Retry-After. */
export const FAST_RETRY = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

/** What a test sets of an export: the server, and any other option it does not leave to runPatientExport. */
export type ExportChoices = Pick<BulkExportRequest, "fhirBaseUrl"> & Partial<BulkExportRequest>;

/**
 * Starts the export of Patients from `choices.fhirBaseUrl`: unless `choices` says otherwise, two
 * files at a time, FAST_RETRY, the token "tok", into a new folder. `done` is the export, `dir` its
 * folder; `events` and `retries` (each retry's reason, unless `choices.retry` has an onRetry of
 * its own) fill as it runs.
 */
export function runPatientExport(choices: ExportChoices) {
  const events: { event: string; fields: Record<string, unknown> }[] = [];
  const retries: string[] = [];
  const { retry = FAST_RETRY, dir = join(tempDir("patella-bulk-export-"), "export"), ...rest } = choices;
  const done = bulkExport({
    types: ["Patient"],
    parallel: 2,
    token: async () => "tok",
    onEvent: (event, fields = {}) => events.push({ event, fields }),
    ...rest,
    retry: { onRetry: (why) => retries.push(why), ...retry },
    dir,
  });
  return { done, dir, events, retries };
}

/** A request the mocked server saw. */
export interface SeenRequest {
  method: string;
  url: string;
  authorization: string | null;
}

/**
 * An msw server for a test file, standing in for the FHIR server and any other host: listening
 * from the file's first test to its last, refusing a request no handler answers, the handlers a
 * test adds (`server.use`) dropped after it. `seen` lists the requests of the current test.
 */
export function mockedServer() {
  const seen: SeenRequest[] = [];
  const server = setupServer();
  server.events.on("request:start", ({ request }) => seen.push({ method: request.method, url: request.url, authorization: request.headers.get("authorization") }));
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    server.resetHandlers();
    seen.length = 0;
  });
  afterAll(() => server.close());
  return { server, seen };
}

/** What a local export server does with one request of a file: the n-th (from 1) of that file. */
export type FileAnswer = (name: string, n: number, response: ServerResponse) => void;

/**
 * Real FHIR servers for a test file (node:http on 127.0.0.1, port 0), each closed after the test
 * that started it, its open connections too (a file that never ends holds one). `start(files,
 * answer)` starts one whose export is done at once with `files` (names under /fhir/files/), each
 * request of a file answered by `answer`; `base` is its FHIR base, `requests` when each request
 * of each file came. It gives any client a token (SMART Backend Services), for exportFromFhir.
 */
export function localExportServers() {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });
  const start = async (files: string[], answer: FileAnswer) => {
    const requests = new Map<string, number[]>();
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const url = request.url!;
      // SMART Backend Services, for exportFromFhir: a token for anyone, every scope granted.
      if (url === "/fhir/.well-known/smart-configuration") return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token_endpoint: `${base}/token` }));
      if (url === "/fhir/token") return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: "tok", token_type: "bearer", expires_in: 300 }));
      if (url.includes("$export")) return void response.writeHead(202, { "content-location": "/fhir/status/1" }).end();
      if (url === "/fhir/status/1" && request.method === "DELETE") return void response.writeHead(202).end();
      if (url === "/fhir/status/1") {
        const output = files.map((name) => ({ type: "Patient", url: `${base}/files/${name}` }));
        return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output, error: [] }));
      }
      const name = url.replace("/fhir/files/", "");
      const times = requests.get(name) ?? [];
      times.push(Date.now());
      requests.set(name, times);
      answer(name, times.length, response);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
    return { base, requests, server };
  };
  return { start };
}
