/**
 * FHIR Bulk Data export for the sandbox (Patient and Group level), enough for the population
 * job's end-to-end test: kick-off with `Prefer: respond-async` and system/ scopes, `_type`,
 * `_since` (on meta.lastUpdated), a status URL that answers 202 with Retry-After once before the
 * manifest, NDJSON files of at most `filesOf` resources that need the access token
 * (`requiresAccessToken: true`), DELETE of a job. `faults` makes every 3rd file answer 429 and
 * every 4th answer 500 or drop the connection on its first request, so clients must retry.
 */
import { randomUUID } from "node:crypto";
import type { Resource } from "fhir/r4";
import express, { type Request, type Response, type Router } from "express";
import type { AccessClaims } from "../auth/access-token.ts";
import { allows, isPatientScoped } from "../auth/scopes.ts";
import { patientIdOf } from "../../shared/fhir-references.ts";
import { outcome } from "./operation-outcome.ts";

export interface BulkExportOptions {
  fhirBaseUrl: string;
  resources: readonly Resource[];
  /** Group id -> member patient ids. */
  groups?: ReadonlyMap<string, readonly string[]>;
  /** Resources per NDJSON file; default 1000. */
  filesOf?: number;
  /** Occasional 429, 500 and dropped connections on file downloads. */
  faults?: boolean;
}

interface ExportJob {
  transactionTime: string;
  request: string;
  files: { type: string; url: string; lines: string[] }[];
  polled: number;
}

const FHIR_JSON = "application/fhir+json; charset=utf-8";

export function createBulkExportRouter(options: BulkExportOptions): Router {
  const router = express.Router();
  const jobs = new Map<string, ExportJob>();
  const attempts = new Map<string, number>();
  const base = options.fhirBaseUrl;

  const kickOff = (patientIds: ReadonlySet<string> | null) => (req: Request, res: Response) => {
    const claims = res.locals.claims as AccessClaims;
    if (isPatientScoped(claims.scopes) || !claims.scopes.some((s) => s.startsWith("system/"))) {
      return res.status(403).type(FHIR_JSON).send(outcome("forbidden", "bulk export needs system/ scopes (SMART Backend Services)"));
    }
    if (!/respond-async/.test(req.get("prefer") ?? "")) {
      return res.status(400).type(FHIR_JSON).send(outcome("invalid", "bulk export needs the header Prefer: respond-async"));
    }
    const types = typeof req.query._type === "string" ? new Set(req.query._type.split(",")) : null;
    const since = typeof req.query._since === "string" ? Date.parse(req.query._since) : null;
    if (since !== null && Number.isNaN(since)) return res.status(400).type(FHIR_JSON).send(outcome("invalid", "_since is not an instant"));
    const selected = options.resources.filter((r) => {
      if (types !== null && !types.has(r.resourceType)) return false;
      if (!allows(claims.scopes, r.resourceType, "r")) return false;
      if (since !== null && !(Date.parse(r.meta?.lastUpdated ?? "") >= since)) return false;
      const owner = patientIdOf(r);
      // Resources of no patient (Medication) go to every export.
      return owner === null || patientIds === null || patientIds.has(owner);
    });
    const id = randomUUID();
    const byType = new Map<string, string[]>();
    for (const r of selected) byType.set(r.resourceType, [...(byType.get(r.resourceType) ?? []), JSON.stringify(r)]);
    const size = options.filesOf ?? 1000;
    const files: ExportJob["files"] = [];
    for (const [type, lines] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
      for (let start = 0; start < lines.length; start += size) {
        files.push({ type, url: `${base}/$export-file/${id}/${type}.${files.length}.ndjson`, lines: lines.slice(start, start + size) });
      }
    }
    jobs.set(id, { transactionTime: new Date().toISOString(), request: `${base}${req.originalUrl.replace(/^.*?\/fhir/, "")}`, files, polled: 0 });
    res.status(202).set("Content-Location", `${base}/$export-status/${id}`).end();
  };

  router.get("/Patient/\\$export", kickOff(null));
  router.get("/Group/:id/\\$export", (req, res) => {
    const members = options.groups?.get(req.params.id as string);
    if (members === undefined) return res.status(404).type(FHIR_JSON).send(outcome("not-found", "no such Group"));
    return kickOff(new Set(members))(req, res);
  });

  router.get("/\\$export-status/:id", (req, res) => {
    const job = jobs.get(req.params.id as string);
    if (job === undefined) return res.status(404).type(FHIR_JSON).send(outcome("not-found", "no such export"));
    if (job.polled++ === 0) return res.status(202).set({ "Retry-After": "1", "X-Progress": "exporting" }).end();
    res.json({
      transactionTime: job.transactionTime,
      request: job.request,
      requiresAccessToken: true,
      output: job.files.map(({ type, url, lines }) => ({ type, url, count: lines.length })),
      error: [],
    });
  });

  router.delete("/\\$export-status/:id", (req, res) => {
    if (!jobs.delete(req.params.id as string)) return res.status(404).type(FHIR_JSON).send(outcome("not-found", "no such export"));
    res.status(202).end();
  });

  router.get("/\\$export-file/:id/:name", (req, res) => {
    const job = jobs.get(req.params.id as string);
    const index = job?.files.findIndex((f) => f.url.endsWith(`/${req.params.name}`)) ?? -1;
    if (job === undefined || index === -1) return res.status(404).type(FHIR_JSON).send(outcome("not-found", "no such file"));
    const attempt = (attempts.get(req.path) ?? 0) + 1;
    attempts.set(req.path, attempt);
    if (options.faults === true && attempt === 1) {
      if (index % 3 === 1) return res.status(429).set("Retry-After", "1").type(FHIR_JSON).send(outcome("transient", "sandbox fault: too many requests"));
      if (index % 4 === 2) return res.status(500).type(FHIR_JSON).send(outcome("transient", "sandbox fault: file failed"));
      if (index % 4 === 3) {
        // Half a file, then the connection drops.
        res.status(200).type("application/fhir+ndjson");
        res.write(job.files[index]!.lines.slice(0, 1).join("\n"));
        return void res.socket?.destroy();
      }
    }
    res.status(200).type("application/fhir+ndjson").send(`${job.files[index]!.lines.join("\n")}\n`);
  });

  return router;
}
