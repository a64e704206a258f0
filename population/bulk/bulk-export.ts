/**
 * A FHIR Bulk Data export to local NDJSON files, resumable: kick-off (Patient or Group level,
 * `Prefer: respond-async`), polling that honours Retry-After, every output file downloaded in
 * parallel up to a limit with retries (retrying-fetch.ts), DELETE of the export when all files are
 * in. The status URL is saved in `DIR/export-state.json` as soon as the server gives it, and each
 * file is renamed into `DIR/files/` only when complete, so a run that stops at any point resumes
 * polling the same export and downloads only the files it lacks.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { TokenSource } from "./backend-services-token.ts";
import { failFor, HttpError, retryAfterMs, withRetries, type RetryPolicy } from "./retrying-fetch.ts";

export interface BulkExportRequest {
  fhirBaseUrl: string;
  /** Group-level export of this Group; default Patient level. */
  groupId?: string;
  /** `_type`: the resource types wanted. */
  types: readonly string[];
  /** `_typeFilter` queries, e.g. `Observation?code=http://loinc.org|39156-5`. */
  typeFilters?: readonly string[];
  /** `_since` (an instant). */
  since?: string;
  /** Files downloaded at once. */
  parallel: number;
  retry: RetryPolicy;
  token: TokenSource;
  /** Where the state and `files/` go. */
  dir: string;
  onEvent: (event: string, fields?: Record<string, unknown>) => void;
}

interface Manifest {
  transactionTime: string;
  requiresAccessToken?: boolean;
  output: { type: string; url: string }[];
  error?: { type: string; url: string }[];
}

interface ExportState {
  kickOffUrl: string;
  statusUrl: string;
  manifest?: Manifest;
  deleted?: boolean;
}

const STATE_FILE = "export-state.json";
const MAX_POLL_WAIT_MS = 60_000;
const DEFAULT_POLL_WAIT_MS = 2_000;

export function kickOffUrl(request: Pick<BulkExportRequest, "fhirBaseUrl" | "groupId" | "types" | "typeFilters" | "since">): string {
  const base = request.fhirBaseUrl.replace(/\/$/, "");
  const path = request.groupId === undefined ? "Patient/$export" : `Group/${encodeURIComponent(request.groupId)}/$export`;
  const query = new URLSearchParams({ _outputFormat: "application/fhir+ndjson", _type: request.types.join(",") });
  for (const filter of request.typeFilters ?? []) query.append("_typeFilter", filter);
  if (request.since !== undefined) query.set("_since", request.since);
  return `${base}/${path}?${query.toString()}`;
}

/** Runs (or resumes) the export; returns the folder of NDJSON files and the export's time. */
export async function bulkExport(request: BulkExportRequest): Promise<{ filesDir: string; transactionTime: string }> {
  const filesDir = join(request.dir, "files");
  mkdirSync(filesDir, { recursive: true });
  const statePath = join(request.dir, STATE_FILE);
  const save = (state: ExportState) => writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
  const wanted = kickOffUrl(request);
  let state = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, "utf8")) as ExportState) : null;
  if (state !== null && state.kickOffUrl !== wanted) {
    throw new Error(`${statePath} is an export of another request (${state.kickOffUrl}): use another --out, or delete it to start over`);
  }
  if (state === null) {
    state = { kickOffUrl: wanted, statusUrl: await kickOff(wanted, request) };
    save(state);
    request.onEvent("export started");
  } else if (state.manifest === undefined) {
    request.onEvent("export resumed", { polling: true });
  }
  if (state.manifest === undefined) {
    state.manifest = await poll(state.statusUrl, request);
    save(state);
  }
  const manifest = state.manifest;
  if ((manifest.error ?? []).length > 0) request.onEvent("export reported errors", { files: manifest.error!.length });
  await downloadAll(manifest, filesDir, request);
  if (state.deleted !== true) {
    await withRetries("DELETE export", request.retry, async () => {
      const response = await fetch(state.statusUrl, { method: "DELETE", headers: { authorization: `Bearer ${await request.token()}` } });
      if (!response.ok && response.status !== 404) await failFor(response, "DELETE export");
    }).catch((error: unknown) => request.onEvent("export not deleted", { reason: (error as Error).message }));
    state.deleted = true;
    save(state);
  }
  return { filesDir, transactionTime: manifest.transactionTime };
}

async function kickOff(url: string, request: BulkExportRequest): Promise<string> {
  return withRetries("export kick-off", request.retry, async () => {
    const response = await fetch(url, {
      headers: { accept: "application/fhir+json", prefer: "respond-async", authorization: `Bearer ${await request.token()}` },
    });
    if (response.status !== 202) await failFor(response, "export kick-off");
    const location = response.headers.get("content-location");
    if (location === null) throw new HttpError(502, "export kick-off: 202 without Content-Location");
    return location;
  });
}

async function poll(statusUrl: string, request: BulkExportRequest): Promise<Manifest> {
  for (;;) {
    const answer = await withRetries("export status", request.retry, async (): Promise<{ manifest: Manifest } | { wait: number; progress: string | null }> => {
      const response = await fetch(statusUrl, { headers: { accept: "application/json", authorization: `Bearer ${await request.token()}` } });
      if (response.status === 202) return { wait: retryAfterMs(response.headers.get("retry-after")) ?? DEFAULT_POLL_WAIT_MS, progress: response.headers.get("x-progress") };
      if (!response.ok) await failFor(response, "export status");
      return { manifest: (await response.json()) as Manifest };
    });
    if ("manifest" in answer) return answer.manifest;
    request.onEvent("export in progress", { progress: answer.progress, retryAfterMs: answer.wait });
    await new Promise((resolve) => setTimeout(resolve, Math.min(answer.wait, MAX_POLL_WAIT_MS)));
  }
}

async function downloadAll(manifest: Manifest, filesDir: string, request: BulkExportRequest): Promise<void> {
  const files = manifest.output.map((file, index) => ({ ...file, name: `${file.type.replace(/[^A-Za-z]/g, "")}.${String(index).padStart(5, "0")}.ndjson` }));
  const missing = files.filter((file) => !existsSync(join(filesDir, file.name)));
  request.onEvent("downloading", { files: files.length, alreadyDownloaded: files.length - missing.length });
  let next = 0;
  const lane = async () => {
    while (next < missing.length) {
      const file = missing[next++]!;
      await withRetries(`download ${file.name}`, request.retry, async () => {
        const headers: Record<string, string> = { accept: "application/fhir+ndjson" };
        if (manifest.requiresAccessToken !== false) headers.authorization = `Bearer ${await request.token()}`;
        const response = await fetch(file.url, { headers });
        if (!response.ok || response.body === null) await failFor(response, `download ${file.name}`);
        const partial = join(filesDir, `${file.name}.partial`);
        await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(partial));
        renameSync(partial, join(filesDir, file.name));
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, request.parallel) }, lane));
}
