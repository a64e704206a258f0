/**
 * The sandbox FHIR R4 server: Medplum's FHIR router over an in-memory repository, behind
 * SMART bearer-token checks. Read and search for every token; writes are a transaction Bundle
 * POSTed at the base or a PUT of one resource (both transaction.ts), which need system/ create
 * or update scopes that only a Backend Services client registered as a writer gets. Writes live in memory
 * for this run only, so the demo data is the same at every start.
 * `/metadata` and `/.well-known/smart-configuration` are public, as SMART requires.
 */
import type { Resource } from "fhir/r4";
import cors from "cors";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { verifyAccessToken, type AccessClaims, type TokenSigner } from "../auth/access-token.ts";
import { smartConfiguration, type SmartEndpoints } from "../auth/smart-configuration.ts";
import { canRead, canSearch, viewerOf, type Query } from "./access-control.ts";
import { capabilityStatement } from "./capability-statement.ts";
import { outcome } from "./operation-outcome.ts";
import { createBulkExportRouter, type BulkExportOptions } from "./bulk-export.ts";
import type { SearchEngine } from "./search-engine.ts";
import { isSupportedType } from "./supported-types.ts";
import { createTransactionRunner } from "./transaction.ts";

export interface FhirServerOptions {
  fhirBaseUrl: string;
  engine: SearchEngine;
  signer: TokenSigner;
  endpoints: SmartEndpoints;
  /** Delay added to every request made with a token carrying the "slow" fault. Default 3 s. */
  slowDelayMs?: number;
  /** Bulk Data export over these resources (bulk-export.ts); absent: no $export. */
  bulkExport?: Omit<BulkExportOptions, "fhirBaseUrl">;
}

const FHIR_JSON = "application/fhir+json; charset=utf-8";

function send(res: Response, status: number, body: Resource): void {
  res.status(status).type(FHIR_JSON).send(JSON.stringify(body));
}

/** Verifies the bearer token and applies the fault it asks for; leaves the claims in locals. */
function requireToken(options: FhirServerOptions) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get("authorization") ?? "";
    const token = /^Bearer (\S+)$/i.exec(header)?.[1];
    const claims = token === undefined ? undefined : await verifyAccessToken(options.signer, token);
    if (!claims) {
      res.set("WWW-Authenticate", 'Bearer realm="patella-sandbox", error="invalid_token"');
      return send(res, 401, outcome("login", "a valid bearer token is required"));
    }
    if (claims.fault === "fail") return send(res, 503, outcome("transient", "sandbox fault injection: FHIR server failing"));
    if (claims.fault === "slow") await new Promise((r) => setTimeout(r, options.slowDelayMs ?? 3000));
    res.locals.claims = claims;
    next();
  };
}

export function createFhirRouter(options: FhirServerOptions): Router {
  const router = express.Router();
  router.use(cors({ exposedHeaders: ["WWW-Authenticate"] }));

  router.get("/.well-known/smart-configuration", (_req, res) => {
    res.json(smartConfiguration(options.endpoints));
  });
  router.get("/metadata", (_req, res) => send(res, 200, capabilityStatement(options.fhirBaseUrl, options.endpoints)));

  router.use(requireToken(options));
  if (options.bulkExport !== undefined) router.use(createBulkExportRouter({ fhirBaseUrl: options.fhirBaseUrl, ...options.bulkExport }));

  const writes = createTransactionRunner(options.engine, options.fhirBaseUrl);
  const fhirJson = express.json({ type: ["application/fhir+json", "application/json"], limit: "20mb" });
  router.post("/", fhirJson, async (req, res) => {
    if (!req.is(["application/fhir+json", "application/json"])) return send(res, 415, outcome("invalid", "send the transaction Bundle as application/fhir+json"));
    const result = await writes.transaction(req.body, res.locals.claims as AccessClaims);
    send(res, result.status, result.resource);
  });
  router.put("/:type/:id", fhirJson, async (req, res) => {
    if (!req.is(["application/fhir+json", "application/json"])) return send(res, 415, outcome("invalid", "send the resource as application/fhir+json"));
    const { type, id } = req.params;
    const result = await writes.put(type, id, req.body, res.locals.claims as AccessClaims);
    if (result.status !== 200) return send(res, result.status, result.resource);
    const response = result.resource.entry?.[0]?.response;
    const stored = await options.engine.read(type, id);
    if (response?.etag !== undefined) res.set("ETag", response.etag);
    if (response?.status === "201 Created") res.set("Location", `${options.fhirBaseUrl}/${response.location}`);
    send(res, response?.status === "201 Created" ? 201 : 200, stored.resource);
  });

  router.get("/:type", async (req, res) => {
    const type = req.params.type;
    if (!isSupportedType(type)) return send(res, 404, outcome("not-supported", `resource type ${type} is not served here`));
    const claims = res.locals.claims as AccessClaims;
    const decision = canSearch(claims, type, options.engine.prepare(req.query as Query));
    if (!decision.allowed) return send(res, 403, outcome("forbidden", decision.reason));
    const result = await options.engine.search(type, req.query as Query, viewerOf(claims));
    send(res, result.status, result.resource);
  });

  router.get("/:type/:id", async (req, res) => {
    const { type, id } = req.params;
    if (!isSupportedType(type)) return send(res, 404, outcome("not-supported", `resource type ${type} is not served here`));
    const result = await options.engine.read(type, id);
    if (result.status !== 200) return send(res, result.status, result.resource);
    const decision = canRead(res.locals.claims as AccessClaims, result.resource, options.engine.owner(result.resource));
    if (!decision.allowed) return send(res, 403, outcome("forbidden", decision.reason));
    send(res, 200, result.resource);
  });

  router.all("/{*rest}", (_req, res) =>
    send(res, 405, outcome("not-supported", "the sandbox FHIR server reads, searches, takes transaction Bundles at its base and PUT of one resource; nothing else")),
  );
  return router;
}
