/**
 * A FHIR Bulk Data export to local NDJSON files, resumable: kick-off (Patient or Group level,
 * `Prefer: respond-async`), polling that honours Retry-After, every output file downloaded in
 * parallel up to a limit with retries (retrying-fetch.ts), DELETE of the export when all files are
 * in. The status URL is saved in `DIR/export-state.json` as soon as the server gives it, and each
 * file is renamed into `DIR/files/` only when complete, so a run that stops at any point resumes
 * polling the same export and downloads only the files it lacks. The manifest is checked before
 * it is saved, and the token goes to the FHIR server's origin only (export-manifest.ts); the
 * error files (OperationOutcomes) go to `DIR/errors/`, apart from the data.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { readNdjsonByteLines } from "../ndjson-byte-lines.ts";
import { fetchWithToken, type TokenSource } from "./backend-services-token.ts";
import { assertFhirOrigin, httpUrl, parseManifest, type Manifest, type ManifestFile } from "./export-manifest.ts";
import { failFor, HttpError, jsonOf, retryAfterMs, withRetries, type RetryPolicy } from "./retrying-fetch.ts";

export interface BulkExportRequest {
  fhirBaseUrl: string;
  /** Group-level export of this Group; default Patient level. */
  groupId?: string;
  /** `_type`: the resource types wanted. */
  types: readonly string[];
  /** `_typeFilter` queries, e.g. `Observation?code=http://loinc.org|39156-5`. */
  typeFilters?: readonly string[];
  /** Files downloaded at once. */
  parallel: number;
  retry: RetryPolicy;
  token: TokenSource;
  /** Where the state and `files/` go. */
  dir: string;
  onEvent: (event: string, fields?: Record<string, unknown>) => void;
  /** How long to poll an export that is not ready before giving up; default a day. */
  pollLimitMs?: number;
}

/** The state of an export, in DIR/export-state.json. */
interface ExportState {
  kickOffUrl: string;
  statusUrl: string;
  /** The complete-status body as the server sent it, once checked (export-manifest.ts). */
  manifest?: unknown;
  deleted?: boolean;
}

const STATE_FILE = "export-state.json";
/** Polls are at least this far apart, whatever Retry-After says: "0" must not become a busy loop. */
const MIN_POLL_WAIT_MS = 1_000;
const MAX_POLL_WAIT_MS = 60_000;
const DEFAULT_POLL_WAIT_MS = 2_000;
/** A day: the largest exports take hours. The status URL is kept, so a run stopped by this limit
 * is resumed by running the command again. */
const DEFAULT_POLL_LIMIT_MS = 24 * 3_600_000;
/** The IG bounds X-Progress to 100 characters; more is not a progress note, and is not logged. */
const MAX_PROGRESS_CHARS = 100;

export function kickOffUrl(request: Pick<BulkExportRequest, "fhirBaseUrl" | "groupId" | "types" | "typeFilters">): string {
  const base = request.fhirBaseUrl.replace(/\/$/, "");
  const path = request.groupId === undefined ? "Patient/$export" : `Group/${encodeURIComponent(request.groupId)}/$export`;
  const query = new URLSearchParams({ _outputFormat: "application/fhir+ndjson", _type: request.types.join(",") });
  for (const filter of request.typeFilters ?? []) query.append("_typeFilter", filter);
  return `${base}/${path}?${query.toString()}`;
}

/** What an export gave: its files, when the server took the data, and how many OperationOutcomes
 * its error files hold (resources it could not export: patients' records may lack them). */
export interface ExportResult {
  filesDir: string;
  transactionTime: string;
  errorOutcomes: number;
}

/** Runs (or resumes) the export. */
export async function bulkExport(request: BulkExportRequest): Promise<ExportResult> {
  const filesDir = join(request.dir, "files");
  mkdirSync(filesDir, { recursive: true });
  const statePath = join(request.dir, STATE_FILE);
  // Written beside and renamed over: a run killed mid-write leaves the previous state whole, where
  // a cut-short file would lose the status URL of an export the server is still running.
  const save = (state: ExportState) => {
    writeFileSync(`${statePath}.partial`, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(`${statePath}.partial`, statePath);
  };
  const fhirOrigin = new URL(request.fhirBaseUrl).origin;
  const wanted = kickOffUrl(request);
  let state = existsSync(statePath) ? readState(statePath) : null;
  if (state !== null && state.kickOffUrl !== wanted) {
    throw new Error(`${statePath} is an export of another request (${state.kickOffUrl}): use another --out, or delete it to start over`);
  }
  if (state === null) {
    state = { kickOffUrl: wanted, statusUrl: await kickOff(wanted, fhirOrigin, request) };
    save(state);
    request.onEvent("export started");
  } else if (state.manifest === undefined) {
    request.onEvent("export resumed", { polling: true });
  }
  // Checked on every run: a state saved by an earlier version may hold a URL this one refuses.
  const statusUrl = statusUrlOf(state.statusUrl, state.kickOffUrl, fhirOrigin);
  const polled = state.manifest === undefined;
  if (polled) state.manifest = await explainGone(statePath, poll(statusUrl, request));
  // Checked before it is saved: the next run polls again instead of failing on a saved manifest.
  const manifest = parseManifest(state.manifest, statusUrl, fhirOrigin);
  if (polled) save(state);
  if (manifest.duplicateUrls > 0) request.onEvent("manifest lists files twice", { downloadedOnce: manifest.duplicateUrls });
  if (manifest.deletedFiles > 0) request.onEvent("export lists deleted resources, not applied", { files: manifest.deletedFiles });
  await explainGone(statePath, downloadAll(manifest.output, filesDir, manifest.requiresAccessToken, request));
  const errorOutcomes = manifest.error.length > 0 ? await downloadErrors(manifest, request) : 0;
  if (state.deleted !== true) {
    await withRetries("DELETE export", request.retry, async () => {
      const response = await fetchWithToken(statusUrl, { method: "DELETE" }, request.token);
      if (!response.ok && response.status !== 404) await failFor(response, "DELETE export");
    }).catch((error: unknown) => request.onEvent("export not deleted", { reason: (error as Error).message }));
    state.deleted = true;
    save(state);
  }
  return { filesDir, transactionTime: manifest.transactionTime, errorOutcomes };
}

/** The saved state; an error naming the file when it is not one (a run killed while writing it). */
function readState(statePath: string): ExportState {
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(statePath, "utf8"));
  } catch {
    state = null;
  }
  const { kickOffUrl, statusUrl } = (state ?? {}) as Partial<ExportState>;
  if (typeof kickOffUrl !== "string" || typeof statusUrl !== "string") {
    throw new Error(`${statePath} is not an export's state (cut short?): delete it to start a new export`);
  }
  return state as ExportState;
}

/** The status URL of a kick-off's Content-Location (relative to the kick-off URL, as HTTP allows). */
function statusUrlOf(location: string, kickOff: string, fhirOrigin: string): string {
  const url = httpUrl(location, kickOff);
  if (url === null) throw new Error("export kick-off: the Content-Location is not an http(s) URL");
  assertFhirOrigin(url, fhirOrigin, "the export's status URL (Content-Location)");
  return url.href;
}

/** A 404 or 410 after the kick-off: the export expired or was cancelled, and polling it again
 * (what a resumed run does) can only fail again; the message says how to start a new one. */
async function explainGone<T>(statePath: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof HttpError && (error.status === 404 || error.status === 410)) {
      throw new Error(`${error.message}; the server no longer has this export (expired or cancelled): delete ${statePath} to start a new one`);
    }
    throw error;
  }
}

async function kickOff(url: string, fhirOrigin: string, request: BulkExportRequest): Promise<string> {
  return withRetries("export kick-off", request.retry, async () => {
    const response = await fetchWithToken(url, { headers: { accept: "application/fhir+json", prefer: "respond-async" } }, request.token);
    if (response.status !== 202) await failFor(response, "export kick-off");
    const location = response.headers.get("content-location");
    // Not retried: the server may have started the export, and another kick-off would start another.
    if (location === null) throw new Error("export kick-off: 202 without Content-Location");
    return statusUrlOf(location, url, fhirOrigin);
  });
}

/** Polls until the complete status; returns its body (JSON, not yet checked). */
async function poll(statusUrl: string, request: BulkExportRequest): Promise<unknown> {
  const limitMs = request.pollLimitMs ?? DEFAULT_POLL_LIMIT_MS;
  const started = Date.now();
  for (;;) {
    const answer = await withRetries("export status", request.retry, async (): Promise<{ body: unknown } | { wait: number; progress: string | null }> => {
      const response = await fetchWithToken(statusUrl, { headers: { accept: "application/json" } }, request.token);
      if (response.status === 202) return { wait: retryAfterMs(response.headers.get("retry-after")) ?? DEFAULT_POLL_WAIT_MS, progress: response.headers.get("x-progress") };
      if (!response.ok) await failFor(response, "export status");
      return { body: await jsonOf(response, "export status") };
    });
    if ("body" in answer) return answer.body;
    const wait = Math.min(Math.max(answer.wait, MIN_POLL_WAIT_MS), MAX_POLL_WAIT_MS);
    if (Date.now() + wait - started > limitMs) {
      throw new Error(`the export was not ready after ${Math.round((Date.now() - started) / 1000)} s of polling: run the same command again to keep polling it`);
    }
    request.onEvent("export in progress", { progress: answer.progress?.slice(0, MAX_PROGRESS_CHARS) ?? null, retryAfterMs: wait });
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Local names by type and place in the manifest: nothing of the URL reaches the file system. */
const named = (files: readonly ManifestFile[]) => files.map((file, index) => ({ ...file, name: `${file.type.replace(/[^A-Za-z]/g, "")}.${String(index).padStart(5, "0")}.ndjson` }));

/** The error files, into DIR/errors (not files/: they are not data), and how many outcomes they hold. */
async function downloadErrors(manifest: Manifest, request: BulkExportRequest): Promise<number> {
  const folder = join(request.dir, "errors");
  mkdirSync(folder, { recursive: true });
  const files = await downloadAll(manifest.error, folder, manifest.requiresAccessToken, request);
  let outcomes = 0;
  for (const { name } of files) for await (const _line of readNdjsonByteLines(join(folder, name))) outcomes++;
  request.onEvent("export reported errors", { files: manifest.error.length, outcomes, folder });
  return outcomes;
}

/**
 * Downloads the files not yet in `dir`, `request.parallel` at a time. After a file fails for good
 * no other is started; the call returns, with that error, once those under way are settled (a
 * failed run must not go on downloading behind its error message). Returns the files by their
 * local names.
 */
async function downloadAll(manifestFiles: readonly ManifestFile[], dir: string, withToken: boolean, request: BulkExportRequest): Promise<(ManifestFile & { name: string })[]> {
  const files = named(manifestFiles);
  const missing = files.filter((file) => !existsSync(join(dir, file.name)));
  request.onEvent("downloading", { files: files.length, alreadyDownloaded: files.length - missing.length });
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (failures.length === 0 && next < missing.length) {
      const file = missing[next++]!;
      await download(file, dir, withToken, request).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, request.parallel) }, lane));
  if (failures.length > 0) throw failures[0];
  return files;
}

/** One file, written under NAME.partial and renamed when complete. */
async function download(file: ManifestFile & { name: string }, dir: string, withToken: boolean, request: BulkExportRequest): Promise<void> {
  await withRetries(`download ${file.name}`, request.retry, async () => {
    const init = { headers: { accept: "application/fhir+ndjson" } };
    const response = withToken ? await fetchWithToken(file.url, init, request.token) : await fetch(file.url, init);
    if (!response.ok || response.body === null) await failFor(response, `download ${file.name}`);
    const partial = join(dir, `${file.name}.partial`);
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(partial));
    renameSync(partial, join(dir, file.name));
  });
}
