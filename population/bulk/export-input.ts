/**
 * The job's input from a FHIR server: a Bulk Data export of the types the job reads (the
 * features' and Procedure, for the knee-replacement flag: job/job-resource-types.ts), with
 * SMART Backend Services auth, into `OUT/export/files` (resumable, see bulk-export.ts).
 */
import { join } from "node:path";
import { KL_GRADE } from "../../shared/imaging/codes.ts";
import { BODY_MEASURE_CODES } from "../../shared/risk-record-queries.ts";
import { JOB_RESOURCE_TYPES } from "../job/job-resource-types.ts";
import { backendServicesToken, type TokenSource } from "./backend-services-token.ts";
import { bulkExport, type ExportResult } from "./bulk-export.ts";
import { DEFAULT_RETRY, type RetryPolicy } from "./retrying-fetch.ts";

export interface FhirInputOptions {
  fhirBaseUrl: string;
  clientId: string;
  keyFile: string;
  /** Default: exportScope(postGroup). */
  scope?: string;
  /** The job will PUT its Groups (`--post-group`): the default scope asks to write Groups. */
  postGroup?: boolean;
  groupId?: string;
  /** Ask for the Observations the job reads only (_typeFilter: the body measures and the KL grades), for servers that support it. */
  jobObservationsOnly: boolean;
  parallel: number;
  outDir: string;
  onEvent: (event: string, fields?: Record<string, unknown>) => void;
  retry?: RetryPolicy;
  /** How long to poll the export, or wait out a request's busy answers, before giving up (bulk-export.ts); default a day. */
  pollLimitMs?: number;
  /** One try of a request other than a download, its answer in full (request-timeouts.ts); default a minute. */
  requestTimeoutMs?: number;
  /** A download's longest silence (request-timeouts.ts); default five minutes. */
  downloadIdleMs?: number;
  /** Byte caps of one file and of the export (download-caps.ts); default 8 and 256 GiB. */
  maxFileBytes?: number;
  maxExportBytes?: number;
}

/** Where the export goes in OUT: its state, `files/`, `errors/` and `deleted/` (bulk-export.ts). */
const exportFolder = (outDir: string) => join(outDir, "export");

/** `_typeFilter` for the Observations the job reads: those the features read as body measures
 * (BMI, weight, height), and the imaging AI's KL grades, kept for a flag only
 * (job/job-resource-types.ts JOB_READ); without them the flag would be missing without a word. */
export const JOB_OBSERVATIONS_FILTER = `Observation?code=${BODY_MEASURE_CODES},${KL_GRADE.system}|${KL_GRADE.code}`;

/**
 * Least privilege: read (`rs`) each type the job reads, and create or update (`cu`) Groups
 * only when the job will post one.
 */
export function exportScope(postGroup: boolean): string {
  const read = [...JOB_RESOURCE_TYPES].sort().map((t) => `system/${t}.rs`);
  return [...read, ...(postGroup ? ["system/Group.cu"] : [])].join(" ");
}

/** A run's access to the FHIR server: its token and its retry policy (logging each wait as the
 * export's events, busy answers waited within the poll limit), for the export and the requests a
 * run makes after it (--post-group). */
export interface FhirAccess {
  token: TokenSource;
  retry: RetryPolicy;
}

/**
 * The first token: the key read, the server reached, the client accepted and every scope granted.
 * Nothing is written, so the job asks for it before it creates and locks --out: a run refused for
 * its key, its client or an unreachable server leaves no output folder behind.
 */
export async function fhirAccess(options: FhirInputOptions): Promise<FhirAccess> {
  // The token request's busy answers are waited out within the export's time limit too.
  const retry: RetryPolicy = {
    ...(options.retry ?? DEFAULT_RETRY),
    onRetry: (why, delayMs) => options.onEvent("retry", { why, delayMs }),
    ...(options.pollLimitMs === undefined ? {} : { busyLimitMs: options.pollLimitMs }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  };
  const token = await backendServicesToken(
    options.fhirBaseUrl,
    { clientId: options.clientId, keyFile: options.keyFile, scope: options.scope ?? exportScope(options.postGroup === true), requireEveryScope: true },
    retry,
  );
  await token();
  return { token, retry };
}

/** The export into `outDir/export`, with `access` (fhirAccess's, asked for here when not given). */
export async function exportFromFhir(options: FhirInputOptions, access?: FhirAccess): Promise<ExportResult & FhirAccess> {
  const { token, retry } = access ?? (await fhirAccess(options));
  // Medication is read only through references; Patient-level exports may leave it out.
  const types = [...JOB_RESOURCE_TYPES].sort();
  const result = await bulkExport({
    fhirBaseUrl: options.fhirBaseUrl,
    types,
    ...(options.groupId === undefined ? {} : { groupId: options.groupId }),
    ...(options.jobObservationsOnly ? { typeFilters: [JOB_OBSERVATIONS_FILTER] } : {}),
    parallel: options.parallel,
    retry,
    token,
    dir: exportFolder(options.outDir),
    onEvent: options.onEvent,
    ...(options.pollLimitMs === undefined ? {} : { pollLimitMs: options.pollLimitMs }),
    ...(options.downloadIdleMs === undefined ? {} : { downloadIdleMs: options.downloadIdleMs }),
    ...(options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes }),
    ...(options.maxExportBytes === undefined ? {} : { maxExportBytes: options.maxExportBytes }),
  });
  return { ...result, token, retry };
}
