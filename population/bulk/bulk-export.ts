/**
 * A FHIR Bulk Data export to local NDJSON files, resumable: kick-off (Patient or Group level,
 * `Prefer: respond-async`), polling that honours Retry-After and X-Progress and is bounded by
 * time, every output file downloaded in parallel up to a limit, its busy answers waited out as the
 * poll's and its errors retried a few times (untilAnswered, retrying-fetch.ts),
 * DELETE of the export when all files are in. The status URL is saved in
 * `DIR/export-state.json` (mode 0600) as soon as the server gives it, and each file is renamed
 * into `DIR/files/` only when complete, so a run that stops at any point resumes polling the
 * same export and downloads only the files it lacks. The manifest is checked before it is saved,
 * and saved without the file URLs' query strings (pre-signed URLs carry their credentials
 * there): a resumed run that still lacks files asks the status URL for the manifest again, for
 * URLs that have not expired. The token goes to the FHIR server's origin only
 * (export-manifest.ts, and fetchWithToken again); the error files (OperationOutcomes) go to
 * `DIR/errors/` and the deleted-resource files to `DIR/deleted/`, apart from the data. Every
 * file is 0600 and every folder 0700, whatever the umask (owner-only-files.ts): they are patients'.
 * Every request is bounded in time (request-timeouts.ts: the small ones in all, a download by its
 * silences, neither the getting of its token), and the files in bytes, one by one and together
 * (download-caps.ts); a download given up for any reason takes its `.partial` with it, and one
 * starting deletes a killed run's (a `.partial` is never resumed from).
 */
import { chmodSync, createWriteStream, existsSync, lstatSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { readNdjsonByteLines } from "../ndjson-byte-lines.ts";
import { highestMissingFolder, removeFoldersMade } from "../folders-made.ts";
import { mkdirOwnerOnly, openOwnerOnly, OWNER_ONLY_FILE } from "../owner-only-files.ts";
import { replaceFilesOwnerOnly } from "../replace-files.ts";
import { fetchWithToken, type TokenSource } from "./backend-services-token.ts";
import { countDeletions } from "./deleted-resources.ts";
import { assertFhirOrigin, httpUrl, parseManifest, type Manifest, type ManifestFile } from "./export-manifest.ts";
import { DEFAULT_MAX_EXPORT_BYTES, DEFAULT_MAX_FILE_BYTES, ExportBytes } from "./download-caps.ts";
import { parseJson } from "./parse-json.ts";
import { DEFAULT_DOWNLOAD_IDLE_MS, durationText, requestClock, TimedOut, timed, type RequestClock } from "./request-timeouts.ts";
import {
  answerOf,
  busyTooLong,
  DEFAULT_TIME_LIMIT_MS,
  failFor,
  HttpError,
  jsonOf,
  requestTimeoutOf,
  retryAfterMs,
  untilAnswered,
  withRetries,
  type RetryPolicy,
  type ServerAnswer,
} from "./retrying-fetch.ts";

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
  /** How long, in all, to poll an export that is not ready (202) or a status URL that is busy
   * (429, or 503 with Retry-After) before giving up; and how long to wait out busy answers to one
   * file's download, or to the kick-off or the DELETE, from its first try; default a day
   * (DEFAULT_TIME_LIMIT_MS). The status URL is kept, so a run stopped by this limit is resumed by
   * running the command again. */
  pollLimitMs?: number;
  /** The most bytes one file may have; default DEFAULT_MAX_FILE_BYTES (download-caps.ts). */
  maxFileBytes?: number;
  /** The most bytes the export's files may have together (on disk from earlier runs included);
   * default DEFAULT_MAX_EXPORT_BYTES. */
  maxExportBytes?: number;
  /** How long a download may go without a byte before its try is given up (a fault, retried);
   * default DEFAULT_DOWNLOAD_IDLE_MS. The other requests' limit is `retry.requestTimeoutMs`. */
  downloadIdleMs?: number;
}

/**
 * The manifest as saved in the state: the checked manifest (export-manifest.ts) with each URL
 * cut to its scheme, host, port and path. A pre-signed URL carries its credentials in its query
 * string (a signature, a key id, an expiry), and they must not outlive the run in a plain file;
 * the URLs without them still say which file is which, to check that a manifest asked for again
 * lists the same files.
 */
interface SavedManifest {
  /** Marks this form: earlier versions saved the server's body whole, query strings and all. */
  urls: "without query strings";
  transactionTime: string;
  requiresAccessToken: boolean;
  output: ManifestFile[];
  error: ManifestFile[];
  deleted: ManifestFile[];
  duplicateUrls: number;
}

/** The state of an export, in DIR/export-state.json. */
interface ExportState {
  kickOffUrl: string;
  statusUrl: string;
  /** SavedManifest once checked; an earlier version's state may hold the server's body. */
  manifest?: unknown;
  deleted?: boolean;
}

const STATE_FILE = "export-state.json";
/** The IG bounds X-Progress to 100 characters; more is not a progress note, and is not logged. */
const MAX_PROGRESS_CHARS = 100;

const timeLimitMs = (request: BulkExportRequest) => request.pollLimitMs ?? DEFAULT_TIME_LIMIT_MS;
/** The policy of the export's requests made once (kick-off, DELETE): their busy answers waited
 * out within the poll's time limit, as a file's are. */
const onceRetry = (request: BulkExportRequest): RetryPolicy => ({ ...request.retry, busyLimitMs: timeLimitMs(request) });

export function kickOffUrl(request: Pick<BulkExportRequest, "fhirBaseUrl" | "groupId" | "types" | "typeFilters">): string {
  const base = request.fhirBaseUrl.replace(/\/$/, "");
  const path = request.groupId === undefined ? "Patient/$export" : `Group/${encodeURIComponent(request.groupId)}/$export`;
  const query = new URLSearchParams({ _outputFormat: "application/fhir+ndjson", _type: request.types.join(",") });
  for (const filter of request.typeFilters ?? []) query.append("_typeFilter", filter);
  return `${base}/${path}?${query.toString()}`;
}

/** What an export gave: its files, when the server took the data, and how many OperationOutcomes
 * its error files hold (resources it could not export: patients' records may lack them). What its
 * deleted files list is only logged (downloadDeleted): the data is whole without it. */
export interface ExportResult {
  filesDir: string;
  transactionTime: string;
  errorOutcomes: number;
}

/**
 * The kick-off failed: the server refused it, or answered without a status URL this client may
 * poll (a 202 without Content-Location, or one on another host), or did not answer in time
 * (KickOffUnansweredError). Either way this client has no export to resume, and the export stored
 * nothing (the folders made for it are gone again): the job then leaves OUT as it found it
 * (job/cli.ts). Its message is the failure's, its `cause` the failure itself.
 */
export class KickOffRefusedError extends Error {
  override name = "KickOffRefusedError";
  constructor(refusal: unknown, message = refusal instanceof Error ? refusal.message : String(refusal)) {
    super(message, { cause: refusal });
  }
}

/**
 * The kick-off was not answered: not within the time limit (`cause`: the TimedOut), or its
 * connection failed once made (`cause`: the connection's error). The server may have received it
 * and started the export all the same; not sent again, as another kick-off would start another
 * export. This client never got the status URL, so it can neither poll that export nor cancel it,
 * and a folder kept would not resume it: OUT is left as found, as for a refused kick-off, and the
 * message says that an export may be running and how to have it cancelled.
 */
export class KickOffUnansweredError extends KickOffRefusedError {
  override name = "KickOffUnansweredError";
  constructor(failure: Error) {
    super(
      failure,
      `${failure.message}. Not sent again: the server may have started the export all the same, and another kick-off would start another. ` +
        "This client never got its status URL, so it cannot poll or cancel it: ask the FHIR server's administrators whether an export by this client is running, " +
        `and to cancel it (DELETE on its status URL) or let it expire; then run the same command again${failure instanceof TimedOut ? " (with a longer --request-timeout if the server is slow to answer a kick-off)" : ""}`,
    );
  }
}

/** Runs (or resumes) the export; a refused kick-off throws KickOffRefusedError. */
export async function bulkExport(request: BulkExportRequest): Promise<ExportResult> {
  const filesDir = join(request.dir, "files");
  // Patients' data: the folders 0700 and every file 0600, whatever the umask (owner-only-files.ts).
  const highestMade = highestMissingFolder(filesDir);
  mkdirOwnerOnly(request.dir, true);
  mkdirOwnerOnly(filesDir, true);
  const statePath = join(request.dir, STATE_FILE);
  // Written beside and renamed over: a run killed mid-write leaves the previous state whole, where
  // a cut-short file would lose the status URL of an export the server is still running. Owner
  // only: the status URL is the export's, and the state names the server's files.
  const save = (state: ExportState) => replaceFilesOwnerOnly(request.dir, [[STATE_FILE, `${JSON.stringify(state, null, 2)}\n`]]);
  const fhirOrigin = new URL(request.fhirBaseUrl).origin;
  const wanted = kickOffUrl(request);
  let state = existsSync(statePath) ? readState(statePath) : null;
  if (state !== null && state.kickOffUrl !== wanted) {
    throw new Error(`${statePath} is an export of another request (${state.kickOffUrl}): use another --out, or delete it to start over`);
  }
  if (state === null) {
    const statusUrl = await kickOff(wanted, fhirOrigin, request).catch((error: unknown) => {
      // Refused, or not answered: this client has no export to resume (no status URL) and
      // nothing is stored, so the folders made for it go.
      removeFoldersMade(filesDir, highestMade);
      throw error instanceof KickOffRefusedError ? error : new KickOffRefusedError(error);
    });
    state = { kickOffUrl: wanted, statusUrl };
    save(state);
    request.onEvent("export started");
  } else if (state.manifest === undefined) {
    request.onEvent("export resumed", { polling: true });
  }
  // Checked on every run: a state saved by an earlier version may hold a URL this one refuses.
  const statusUrl = statusUrlOf(state.statusUrl, state.kickOffUrl, fhirOrigin);
  const fresh = async () => parseManifest(await explainGone(statePath, poll(statusUrl, fhirOrigin, request)), statusUrl, fhirOrigin);
  const folders = { output: filesDir, error: join(request.dir, "errors"), deleted: join(request.dir, "deleted") };
  let manifest: Manifest;
  if (state.manifest === undefined) {
    // Checked before it is saved: the next run polls again instead of failing on a saved manifest.
    manifest = await fresh();
    state.manifest = saved(manifest);
    save(state);
  } else {
    const kept = savedManifest(state.manifest, statusUrl, fhirOrigin, statePath);
    if (!isSavedForm(state.manifest)) {
      // An earlier version's state, with the URLs whole: rewritten at once without their queries.
      state.manifest = saved(kept);
      save(state);
    }
    if (lacksFiles(kept, folders)) {
      if (missingTwins(kept, folders)) {
        throw new Error(
          `export status: files still to download differ from others only in their query strings, which ${statePath} does not keep, so the manifest asked for again cannot say which is which: delete ${request.dir} to start a new export`,
        );
      }
      // The saved URLs have no query strings (and pre-signed ones would have expired by now):
      // the server's manifest again, for URLs that work, which must list the same files.
      request.onEvent("export resumed", { manifestAskedAgain: true });
      const again = inSavedOrder(kept, await fresh());
      if (again === null) {
        throw new Error(
          `export status: the server's manifest for this export lists other files than when its download began (${statePath}): delete ${request.dir} to start a new export`,
        );
      }
      manifest = again;
    } else {
      manifest = kept;
    }
  }
  if (manifest.duplicateUrls > 0) request.onEvent("manifest lists files twice", { downloadedOnce: manifest.duplicateUrls });
  const bytes = new ExportBytes({ fileBytes: request.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, exportBytes: request.maxExportBytes ?? DEFAULT_MAX_EXPORT_BYTES });
  const downloads: Downloads = { withToken: manifest.requiresAccessToken, fhirOrigin, request, bytes };
  await explainGone(statePath, downloadAll(manifest.output, "output", filesDir, downloads));
  const errorOutcomes = manifest.error.length > 0 ? await downloadErrors(manifest, folders.error, downloads) : 0;
  if (manifest.deleted.length > 0) await downloadDeleted(manifest, folders.deleted, downloads);
  if (state.deleted !== true) {
    await withRetries("DELETE export", onceRetry(request), async (_signal, clock) => {
      const response = await fetchWithToken(statusUrl, { method: "DELETE" }, request.token, fhirOrigin, clock);
      if (!response.ok && response.status !== 404) await failFor(response, "DELETE export");
    }).catch((error: unknown) => request.onEvent("export not deleted", { reason: (error as Error).message }));
    state.deleted = true;
    save(state);
  }
  return { filesDir, transactionTime: manifest.transactionTime, errorOutcomes };
}

/** A URL without what may be a credential: its query string, fragment and user info. */
function withoutQuery(url: string): string {
  const bare = new URL(url);
  bare.search = "";
  bare.hash = "";
  bare.username = "";
  bare.password = "";
  return bare.href;
}

const bareFiles = (files: readonly ManifestFile[]) => files.map(({ type, url }) => ({ type, url: withoutQuery(url) }));

function saved(manifest: Manifest): SavedManifest {
  const { transactionTime, requiresAccessToken, duplicateUrls } = manifest;
  return { urls: "without query strings", transactionTime, requiresAccessToken, output: bareFiles(manifest.output), error: bareFiles(manifest.error), deleted: bareFiles(manifest.deleted), duplicateUrls };
}

const isSavedForm = (value: unknown): value is SavedManifest => (value as Partial<SavedManifest> | null)?.urls === "without query strings";

/** The saved manifest as a Manifest (its URLs without queries: for names and counts, not for
 * downloads); an earlier version's (the server's body) checked again. */
function savedManifest(value: unknown, statusUrl: string, fhirOrigin: string, statePath: string): Manifest {
  if (!isSavedForm(value)) return parseManifest(value, statusUrl, fhirOrigin);
  const files = (list: unknown): ManifestFile[] => {
    if (!Array.isArray(list) || !list.every((f: Partial<ManifestFile> | null) => typeof f?.type === "string" && typeof f.url === "string")) {
      throw new Error(`${statePath} is not an export's state (its manifest is not one): delete it to start a new export`);
    }
    return list as ManifestFile[];
  };
  return { ...value, output: files(value.output), error: files(value.error), deleted: files(value.deleted) };
}

/**
 * The manifest asked for again on a resumed run, with its files in the saved manifest's order; or
 * null when it is not the same export's: another transactionTime or requiresAccessToken, or other
 * files in `output`, `error` or `deleted` (type and URL without query, as the state keeps them).
 * The order a server lists its files in is not part of the export (the IG gives none), so it may
 * differ; but the local names are by place in the list (`named`), so the files are put back in
 * the saved order, or a file on disk would be taken for another and the missing ones left out.
 */
function inSavedOrder(kept: Manifest, fresh: Manifest): Manifest | null {
  if (fresh.transactionTime !== kept.transactionTime || fresh.requiresAccessToken !== kept.requiresAccessToken) return null;
  const output = sameFilesInOrder(kept.output, fresh.output);
  const error = sameFilesInOrder(kept.error, fresh.error);
  const deleted = sameFilesInOrder(kept.deleted, fresh.deleted);
  return output === null || error === null || deleted === null ? null : { ...fresh, output, error, deleted };
}

/**
 * `fresh`'s files in `kept`'s order, matched by type and URL without query; null unless both list
 * the same files as many times. Files whose URLs differ only in their query strings cannot be told
 * apart (the state keeps no query: it may be a credential) and are matched in the order listed,
 * which is safe only because such twins are all on disk by now (missingTwins refuses otherwise).
 */
function sameFilesInOrder(kept: readonly ManifestFile[], fresh: readonly ManifestFile[]): ManifestFile[] | null {
  if (kept.length !== fresh.length) return null;
  const byKey = new Map<string, ManifestFile[]>();
  for (const file of fresh) {
    const key = fileKey(file);
    const same = byKey.get(key);
    if (same === undefined) byKey.set(key, [file]);
    else same.push(file);
  }
  const ordered: ManifestFile[] = [];
  for (const file of kept) {
    const match = byKey.get(fileKey(file))?.shift();
    if (match === undefined) return null;
    ordered.push(match);
  }
  return ordered;
}

/** A file as the saved state can tell it: its type and its URL without query. */
const fileKey = (file: ManifestFile): string => JSON.stringify([file.type, withoutQuery(file.url)]);

/** Whether a file not yet downloaded has a twin in its list (the same fileKey): which of the
 * twins the manifest asked for again lists first is anyone's guess, and a wrong guess saves one
 * file's lines under the other's name, one downloaded twice and the other never. */
function missingTwins(manifest: Manifest, folders: { output: string; error: string; deleted: string }): boolean {
  return (["output", "error", "deleted"] as const).some((list) => {
    const files = named(manifest[list]).map((file) => ({ ...file, key: fileKey(file) }));
    const counts = new Map<string, number>();
    for (const { key } of files) counts.set(key, (counts.get(key) ?? 0) + 1);
    return files.some((file) => counts.get(file.key)! > 1 && !existsSync(join(folders[list], file.name)));
  });
}

/** Whether a file of the manifest is not yet downloaded (into its folder, by its local name). */
function lacksFiles(manifest: Manifest, folders: { output: string; error: string; deleted: string }): boolean {
  return (["output", "error", "deleted"] as const).some((list) => named(manifest[list]).some(({ name }) => !existsSync(join(folders[list], name))));
}

/** The saved state; an error naming the file when it is not one (a run killed while writing it). */
function readState(statePath: string): ExportState {
  const state = parseJson(readFileSync(statePath, "utf8"), statePath, null);
  const { kickOffUrl, statusUrl } = (state ?? {}) as Partial<ExportState>;
  if (typeof kickOffUrl !== "string" || typeof statusUrl !== "string") {
    throw new Error(`${statePath} is not an export's state (cut short?): delete it to start a new export`);
  }
  // A state written by an earlier version may be readable by others.
  chmodSync(statePath, OWNER_ONLY_FILE);
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

/**
 * The kick-off; its status URL. Busy answers and errors the server answered (5xx) or that kept
 * the request from reaching it (a connection refused) are retried; but one try not answered
 * within the time limit, or whose connection dropped once made, is final
 * (KickOffUnansweredError): the server may have taken it and be exporting, and another kick-off
 * would start another.
 */
async function kickOff(url: string, fhirOrigin: string, request: BulkExportRequest): Promise<string> {
  return withRetries(
    "export kick-off",
    onceRetry(request),
    async (_signal, clock) => {
      const response = await fetchWithToken(url, { headers: { accept: "application/fhir+json", prefer: "respond-async" } }, request.token, fhirOrigin, clock);
      if (response.status !== 202) await failFor(response, "export kick-off");
      const location = response.headers.get("content-location");
      // Not retried: the server may have started the export, and another kick-off would start another.
      if (location === null) throw new Error("export kick-off: 202 without Content-Location");
      return statusUrlOf(location, url, fhirOrigin);
    },
    (failure) => new KickOffUnansweredError(failure),
  );
}

/** One answer of the status URL: complete (its body), in progress (202), busy or a fault (answerOf;
 * one that does not come in full within `retry.requestTimeoutMs` is a fault too). */
async function statusAnswer(statusUrl: string, fhirOrigin: string, request: BulkExportRequest): Promise<ServerAnswer<unknown>> {
  const ask = async (_signal: AbortSignal, clock: RequestClock): Promise<ServerAnswer<unknown>> => {
    const response = await fetchWithToken(statusUrl, { headers: { accept: "application/json" } }, request.token, fhirOrigin, clock);
    if (response.status === 202) {
      await response.body?.cancel();
      return { kind: "in progress", retryAfterMs: retryAfterMs(response.headers.get("retry-after")), progress: response.headers.get("x-progress") };
    }
    if (!response.ok) await failFor(response, "export status");
    return { kind: "done", value: await jsonOf(response, "export status") };
  };
  return answerOf("export status", () => timed("export status", requestTimeoutOf(request.retry), ask));
}

/**
 * Polls until the complete status; returns its body (JSON, not yet checked). The IG's status
 * request: a 202 is "in progress" (X-Progress logged, at most 100 characters), a 429 (or a 503
 * with Retry-After, RFC 9110) is "polling too often, come back later"; both wait Retry-After
 * (at least 1 s; without it, a backoff from 2 s to 1 min) and count only against the time limit
 * (`pollLimitMs`), however many there are. Other 5xx answers and failed connections are errors:
 * `retry.attempts` of them in a row end the poll. Any other answer (404, 410, 401 after a new
 * token, ...) ends it at once. (untilAnswered, which the downloads use too.)
 */
async function poll(statusUrl: string, fhirOrigin: string, request: BulkExportRequest): Promise<unknown> {
  return untilAnswered(() => statusAnswer(statusUrl, fhirOrigin, request), {
    retry: request.retry,
    limitMs: timeLimitMs(request),
    onWait: (answer, wait) => {
      if (answer.kind === "fault") request.retry.onRetry?.(`export status: ${answer.why}`, wait);
      else if (answer.kind === "busy") request.onEvent("export status busy", { status: answer.status, retryAfterMs: wait });
      else request.onEvent("export in progress", { progress: answer.progress?.slice(0, MAX_PROGRESS_CHARS) ?? null, retryAfterMs: wait });
    },
    tooLong: ({ ms, busyAnswers }) => {
      const busyNote = busyAnswers === 0 ? "" : ` (${busyAnswers} of the answers were "busy", 429 or 503)`;
      return new Error(`the export was not ready after ${Math.round(ms / 1000)} s of polling${busyNote}: run the same command again to keep polling it`);
    },
  });
}

/** Local names by type and place in the manifest: nothing of the URL reaches the file system. */
const named = (files: readonly ManifestFile[]) => files.map((file, index) => ({ ...file, name: `${file.type.replace(/[^A-Za-z]/g, "")}.${String(index).padStart(5, "0")}.ndjson` }));

/** What every download of an export shares: whether it sends the token, and where it may; the
 * request (its retries, time limits and events); and the export's byte count, for its caps. */
interface Downloads {
  withToken: boolean;
  fhirOrigin: string;
  request: BulkExportRequest;
  bytes: ExportBytes;
}

/** The manifest's lists, as the messages name them (`output[3]`). */
type ManifestList = "output" | "error" | "deleted";

/** The error files, into DIR/errors (not files/: they are not data), and how many outcomes they hold. */
async function downloadErrors(manifest: Manifest, folder: string, downloads: Downloads): Promise<number> {
  mkdirOwnerOnly(folder, true);
  const files = await downloadAll(manifest.error, "error", folder, downloads);
  let outcomes = 0;
  for (const { name } of files) for await (const _line of readNdjsonByteLines(join(folder, name))) outcomes++;
  downloads.request.onEvent("export reported errors", { files: manifest.error.length, outcomes, folder });
  return outcomes;
}

/**
 * The deleted-resource files, into DIR/deleted (not files/: they are not data), and a log line of
 * the deletions they list, by type, and of what in them could not be read, by reason
 * (deleted-resources.ts). Nothing is applied: the IG lists deletions for a `_since` export, whose
 * resources deleted since then it SHALL NOT put in `output`, and the job exports whole records
 * (no `_since`), so the files downloaded already lack them. Logged so that a server that sends
 * them anyway is seen doing it.
 */
async function downloadDeleted(manifest: Manifest, folder: string, downloads: Downloads): Promise<void> {
  mkdirOwnerOnly(folder, true);
  const files = await downloadAll(manifest.deleted, "deleted", folder, downloads);
  const counted = await countDeletions(files.map(({ name }) => join(folder, name)), downloads.request.fhirBaseUrl);
  downloads.request.onEvent("export lists deleted resources, not in the output", { files: manifest.deleted.length, ...counted, folder });
}

/**
 * Downloads the files of `list` not yet in `dir`, `request.parallel` at a time; those an earlier
 * run downloaded count against the export's cap (download-caps.ts) before any starts (the lists
 * are downloaded in order, output first, so a later list's files are on disk only once the
 * earlier lists are complete). After a file fails
 * for good no other is started; the call returns, with that error, once those under way are
 * settled (a failed run must not go on downloading behind its error message). Returns the files
 * by their local names.
 */
async function downloadAll(manifestFiles: readonly ManifestFile[], list: ManifestList, dir: string, downloads: Downloads): Promise<(ManifestFile & { name: string })[]> {
  const { request } = downloads;
  const files = named(manifestFiles);
  const missing: (ManifestFile & { name: string; place: string })[] = [];
  files.forEach((file, index) => {
    const path = join(dir, file.name);
    if (existsSync(path)) {
      // One downloaded by an earlier version, with the umask's mode: owner-only now.
      chmodSync(path, OWNER_ONLY_FILE);
      downloads.bytes.alreadyOnDisk(statSync(path).size);
    } else missing.push({ ...file, place: `${list}[${index}]` });
  });
  request.onEvent("downloading", { files: files.length, alreadyDownloaded: files.length - missing.length });
  let next = 0;
  const failures: unknown[] = [];
  const lane = async () => {
    while (failures.length === 0 && next < missing.length) {
      const file = missing[next++]!;
      await download(file, dir, downloads).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, request.parallel) }, lane));
  if (failures.length > 0) throw failures[0];
  return files;
}

/**
 * One file, written under NAME.partial and renamed when complete. A busy answer (429, or 503 with
 * Retry-After) waits as the status poll's do (untilAnswered: Retry-After however long, within the
 * time limit `pollLimitMs` counted from the file's first try, however many there are): a server
 * that rate-limits thousands of small files answers many of them so, and is not failing. Real
 * errors (other 5xx answers, dropped connections, `downloadIdleMs` without a byte) end it after
 * `retry.attempts` in a row. A file past a byte cap (download-caps.ts) ends it at once: it would
 * come as large again. Every try given up deletes its `.partial`: an endless file must not stay on
 * disk, and the next try (or run) starts the file again anyway; and a killed run's `.partial` is
 * deleted before the first try, so that it goes too when no try gets as far as writing the file.
 * The silence limit times the server only: it starts when the request is sent, after the token
 * (fetchWithToken); a token that cannot be had ends the download at once with its error
 * (TokenFailed), not as a silence.
 */
async function download(file: ManifestFile & { name: string; place: string }, dir: string, downloads: Downloads): Promise<void> {
  const { request, withToken, fhirOrigin } = downloads;
  const what = `download ${file.name}`;
  const idleMs = request.downloadIdleMs ?? DEFAULT_DOWNLOAD_IDLE_MS;
  const partial = join(dir, `${file.name}.partial`);
  // A killed run's: never resumed from (each try writes the file from its start). A regular file
  // only: anything else there is not a download's, and the open below reports it.
  try {
    if (lstatSync(partial, { throwIfNoEntry: false })?.isFile() === true) rmSync(partial);
  } catch (error) {
    throw new Error(`${what}: ${(error as Error).message}`, { cause: error });
  }
  const once = () =>
    answerOf<void>(what, async () => {
      // From when the request is sent (fetchWithToken: once the token is in hand): a server that
      // never answers is as silent as one that stops.
      const idle = requestClock(idleMs);
      const counted = downloads.bytes.download(`${what} (the manifest's ${file.place})`);
      let opened = false;
      try {
        const init = { headers: { accept: "application/fhir+ndjson" } };
        idle.start();
        const response = withToken ? await fetchWithToken(file.url, init, request.token, fhirOrigin, idle) : await fetch(file.url, { ...init, signal: idle.signal });
        idle.touch();
        if (!response.ok || response.body === null) await failFor(response, what);
        let fd: number;
        try {
          // Owner-only before a byte is written, also over a killed run's .partial.
          fd = openOwnerOnly(partial);
        } catch (error) {
          // Unread, the answer would hold its connection (and the server's stream) open until the
          // garbage collector finds it: one socket for each file of a run that cannot write.
          await response.body?.cancel();
          throw new Error(`${what}: ${(error as Error).message}`, { cause: error });
        }
        opened = true;
        // Counted as it comes: a throw (a cap passed) ends the pipeline, which cancels the answer
        // (its connection closed) and closes the file.
        const countChunks = async function* (chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            idle.touch();
            counted.add(chunk.byteLength);
            yield chunk;
          }
        };
        await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), countChunks, createWriteStream(partial, { fd }));
        renameSync(partial, join(dir, file.name));
        return { kind: "done", value: undefined };
      } catch (error) {
        counted.release();
        // Not when the open failed: what is there is not this try's (a folder, say).
        if (opened) rmSync(partial, { force: true });
        // Only the clock's own abort: an error of the request's own (a token refused, a cap, a
        // disk) is reported as it is, also when it came after the clock ran out.
        if (idle.owns(error)) throw new TimedOut(what, `no data received for ${durationText(idleMs)}`, { cause: error });
        throw error;
      } finally {
        idle.stop();
      }
    });
  await untilAnswered(once, {
    retry: request.retry,
    limitMs: timeLimitMs(request),
    onWait: (answer, wait) => {
      if (answer.kind === "fault") request.retry.onRetry?.(`${what}: ${answer.why}`, wait);
      else if (answer.kind === "busy") request.onEvent("download busy", { file: file.name, status: answer.status, retryAfterMs: wait });
    },
    tooLong: (elapsed) => new Error(`${busyTooLong(what, elapsed)}: run the same command again to download the files still missing`),
  });
}
