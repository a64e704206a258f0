/**
 * One sandbox EHR on one port: FHIR server (/fhir), SMART authorization server (/auth), the
 * EHR page (/) and its API (/ehr/api), and the EHR's CDS Hooks JWKS (/.well-known/jwks.json).
 * SANDBOX ONLY: it approves every authorization without a login and serves synthetic data.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Resource } from "fhir/r4";
import express from "express";
import type { TokenSigner } from "./auth/access-token.ts";
import { createAuthRouter } from "./auth/auth-router.ts";
import { SMART_STYLE_PATH } from "./auth/smart-style.ts";
import type { AppClient, BackendClient } from "./auth/clients.ts";
import { GrantStore, type GrantStoreOptions } from "./auth/grant-store.ts";
import { sandboxErrorHandler } from "./error-handler.ts";
import { createEhrApi, type SentFeedback } from "./ehr/ehr-api.ts";
import { listPatients } from "./ehr/chart.ts";
import type { BulkExportOptions } from "./fhir/bulk-export.ts";
import { createFhirRouter } from "./fhir/fhir-router.ts";
import { createSearchEngine } from "./fhir/search-engine.ts";
import { generateSandboxKeys } from "./keys.ts";
import { ehrPageHeaders } from "./ehr-page-headers.ts";
import { createLoopbackServer } from "./host-check.ts";
import { listen } from "./listen.ts";

export interface SandboxOptions {
  /** Default 127.0.0.1: the sandbox is never meant to be reachable from other machines. */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The demo data: Patients and their resources, with ids. */
  resources: readonly Resource[];
  /** Demo tags per patient id, shown in the patient list. */
  tags?: ReadonlyMap<string, readonly string[]>;
  /** Built EHR page (index.html + assets) served at /; omitted in API-only tests. */
  pageDir?: string;
  /** Requests made with a "slow" token wait this long; default 3000 ms. */
  slowDelayMs?: number;
  /** Clock and lifetimes of launches, codes and refresh tokens (tests). */
  grants?: GrantStoreOptions;
  accessTokenTtlSeconds?: number;
  /** Bulk Data export of `resources` (Group ids, file size, fault switch); always on. */
  bulkExport?: Omit<BulkExportOptions, "fhirBaseUrl" | "resources">;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:4100 */
  url: string;
  fhirBaseUrl: string;
  /** The issuer and JWKS a CDS service must trust for this EHR's hook calls. */
  hookIssuer: string;
  hookJwksUrl: string;
  /** Registries read at each request, so clients can be added once their ports are known. */
  appClients: AppClient[];
  backendClients: BackendClient[];
  cdsServices: string[];
  sentFeedback: readonly SentFeedback[];
  /** Signs tokens as this sandbox does (tests use it to mint tokens directly). */
  tokenSigner: TokenSigner;
  store: GrantStore;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const host = options.host ?? "127.0.0.1";
  const app = express();
  app.disable("x-powered-by");
  // Only requests addressed to 127.0.0.1/localhost:<port> reach the app (DNS rebinding guard).
  const server: Server = createLoopbackServer(app);
  await listen(server, options.port, host, "sandbox EHR");
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const fhirBaseUrl = `${url}/fhir`;
  const endpoints = { authorizeUrl: `${url}/auth/authorize`, tokenUrl: `${url}/auth/token` };

  const keys = await generateSandboxKeys();
  const store = new GrantStore(options.grants);
  const tokenSigner: TokenSigner = { ...keys.tokenKeys, issuer: `${url}/auth`, audience: fhirBaseUrl, now: store.now };
  const engine = await createSearchEngine(options.resources, fhirBaseUrl, { defaultCount: 50, maxCount: 500 });
  const tags = options.tags ?? new Map<string, readonly string[]>();
  const appClients: AppClient[] = [];
  const backendClients: BackendClient[] = [];
  const cdsServices: string[] = [];
  const hookIssuer = url;
  const hookJwksUrl = `${url}/.well-known/jwks.json`;

  app.get("/.well-known/jwks.json", (_req, res) => void res.json(keys.hookJwks));
  app.use(
    "/fhir",
    createFhirRouter({ fhirBaseUrl, engine, signer: tokenSigner, endpoints, ...(options.slowDelayMs !== undefined && { slowDelayMs: options.slowDelayMs }), bulkExport: { resources: engine.resources, ...options.bulkExport } }),
  );
  app.use(
    "/auth",
    createAuthRouter({
      fhirBaseUrl,
      appClients,
      backendClients,
      store,
      signer: tokenSigner,
      tokenUrl: endpoints.tokenUrl,
      smartStyleUrl: `${url}/auth${SMART_STYLE_PATH}`,
      listPatients: async () => (await listPatients(engine, tags)).map((p) => ({ id: p.id, label: `${p.name} (${p.gender}, born ${p.birthDate})` })),
      ...(options.accessTokenTtlSeconds !== undefined && { accessTokenTtlSeconds: options.accessTokenTtlSeconds }),
    }),
  );
  const ehr = createEhrApi({
    engine,
    cdsServices,
    store,
    tags,
    fhirBaseUrl,
    cds: {
      hookSigner: { ...keys.hookKeys, issuer: hookIssuer, jwksUrl: hookJwksUrl },
      tokenSigner,
      engine,
      fhirBaseUrl,
      userId: "Practitioner/sandbox-clinician",
    },
  });
  app.use("/ehr/api", ehr.router);
  // The page (and its assets, and their 404s): its CSP frames only the registered apps.
  if (options.pageDir !== undefined) app.use(ehrPageHeaders(url, appClients), express.static(options.pageDir));
  app.use(sandboxErrorHandler);

  return {
    url,
    fhirBaseUrl,
    hookIssuer,
    hookJwksUrl,
    appClients,
    backendClients,
    cdsServices,
    sentFeedback: ehr.sentFeedback,
    tokenSigner,
    store,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
