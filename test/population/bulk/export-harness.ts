/**
 * The Bulk Data client's export as its tests run it (busy-requests, download-busy and
 * hostile-server): Patients into a fresh folder, its events and retry lines recorded; and the msw
 * server that stands in for the FHIR server where a test mocks it.
 */
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
