/**
 * The job's input from a FHIR server: a Bulk Data export of the types the features read, with
 * SMART Backend Services auth, into `OUT/export/files` (resumable, see bulk-export.ts).
 */
import { join } from "node:path";
import { FEATURE_RESOURCE_TYPES } from "../../models/features/feature-resource-types.ts";
import { BODY_MEASURE_CODES } from "../../shared/risk-record-queries.ts";
import { backendServicesToken, type TokenSource } from "./backend-services-token.ts";
import { bulkExport, type ExportResult } from "./bulk-export.ts";
import { DEFAULT_RETRY, type RetryPolicy } from "./retrying-fetch.ts";

export interface FhirInputOptions {
  fhirBaseUrl: string;
  clientId: string;
  keyFile: string;
  /** Default: exportScope(postGroup). */
  scope?: string;
  /** The job will PUT its high-risk Group (`--post-group`): the default scope asks to write Groups. */
  postGroup?: boolean;
  groupId?: string;
  /** Ask for body-measure Observations only (_typeFilter), for servers that support it. */
  bodyMeasureObservationsOnly: boolean;
  parallel: number;
  outDir: string;
  onEvent: (event: string, fields?: Record<string, unknown>) => void;
  retry?: RetryPolicy;
  /** How long to poll the export, or wait out a request's busy answers, before giving up (bulk-export.ts); default a day. */
  pollLimitMs?: number;
}

/** `_typeFilter` for the Observations the features read as body measures (BMI, weight, height). */
export const BODY_MEASURE_FILTER = `Observation?code=${BODY_MEASURE_CODES}`;

/**
 * Least privilege: read (`rs`) each type the features read, and create or update (`cu`) Groups
 * only when the job will post one.
 */
export function exportScope(postGroup: boolean): string {
  const read = [...FEATURE_RESOURCE_TYPES].sort().map((t) => `system/${t}.rs`);
  return [...read, ...(postGroup ? ["system/Group.cu"] : [])].join(" ");
}

/** The export, with its token and its retry policy (logging each wait as the export's events,
 * busy answers waited within the poll limit) for the requests a run makes after it (--post-group). */
export async function exportFromFhir(options: FhirInputOptions): Promise<ExportResult & { token: TokenSource; retry: RetryPolicy }> {
  // Medication is read only through references; Patient-level exports may leave it out.
  const types = [...FEATURE_RESOURCE_TYPES].sort();
  // The token request's busy answers are waited out within the export's time limit too.
  const retry: RetryPolicy = {
    ...(options.retry ?? DEFAULT_RETRY),
    onRetry: (why, delayMs) => options.onEvent("retry", { why, delayMs }),
    ...(options.pollLimitMs === undefined ? {} : { busyLimitMs: options.pollLimitMs }),
  };
  const token = await backendServicesToken(
    options.fhirBaseUrl,
    { clientId: options.clientId, keyFile: options.keyFile, scope: options.scope ?? exportScope(options.postGroup === true), requireEveryScope: true },
    retry,
  );
  const result = await bulkExport({
    fhirBaseUrl: options.fhirBaseUrl,
    types,
    ...(options.groupId === undefined ? {} : { groupId: options.groupId }),
    ...(options.bodyMeasureObservationsOnly ? { typeFilters: [BODY_MEASURE_FILTER] } : {}),
    parallel: options.parallel,
    retry,
    token,
    dir: join(options.outDir, "export"),
    onEvent: options.onEvent,
    ...(options.pollLimitMs === undefined ? {} : { pollLimitMs: options.pollLimitMs }),
  });
  return { ...result, token, retry };
}
