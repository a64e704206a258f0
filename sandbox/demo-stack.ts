/**
 * The whole of Patella on 127.0.0.1: the sandbox EHR (FHIR, SMART, EHR page), the CDS service
 * and the SMART app, wired to each other. Used by `npm start` and the end-to-end tests.
 */
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { loadRiskModel } from "../shared/inference/index.ts";
import type { BackendClient } from "./auth/clients.ts";
import { startCdsService, type RunningCds } from "./cds-runner.ts";
import { buildDemoCohort, type DemoCohort } from "./demo/demo-cohort.ts";
import { APP_DIR, EHR_PAGE_DIR, REPO_ROOT } from "./build-front-ends.ts";
import { startSandbox, type Sandbox } from "./sandbox-server.ts";
import { appSecurityHeaders, inlineStyleHashes } from "./app-security-headers.ts";
import { startStaticServer, type StaticServer } from "./static-server.ts";

export const APP_CLIENT_ID = "patella-app";

export interface DemoStackOptions {
  host: string;
  /** Ports of the EHR, the CDS service and the app; 0 picks free ones. */
  ports: { ehr: number; cds: number; app: number };
  seed: number;
  /** Last day of the demo records (normally today). */
  endDate: string;
  poolSize: number;
  patients: number;
  modelPath: string;
  /** The age/sex baseline model the CDS cards compare with. */
  baselineModelPath: string;
  /** SQLite file of the CDS feedback, or ":memory:". */
  feedbackDbPath: string;
  /** Backend Services clients (e.g. the population export) allowed system/ read tokens. */
  backendClients?: BackendClient[];
}

export interface DemoStack {
  ehr: Sandbox;
  cds: RunningCds;
  app: StaticServer;
  cohort: DemoCohort;
  close(): Promise<void>;
}

async function loadModel(path: string) {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    throw new Error(`Cannot read the model ${path}: ${(err as Error).message} (set PATELLA_MODEL_PATH)`);
  }
  return loadRiskModel(ort, bytes);
}

/** The model files, from the service's own environment variables when set. */
export function modelPathsFromEnv(): Pick<DemoStackOptions, "modelPath" | "baselineModelPath"> {
  return {
    modelPath: process.env.PATELLA_MODEL_PATH || `${REPO_ROOT}models/deep-koa/deep-koa.onnx`,
    baselineModelPath: process.env.PATELLA_BASELINE_MODEL_PATH || `${REPO_ROOT}models/deep-koa/baseline-age-sex-lr.onnx`,
  };
}

/**
 * The app's standalone launch (from an EHR's app menu: the sandbox's patient picker, then the
 * app), relative to the app's origin. The app server sends `/` there, so the app URL `npm start`
 * prints opens the app rather than a 404.
 */
export function standaloneLaunchPath(fhirBaseUrl: string): string {
  return `/launch.html?iss=${encodeURIComponent(fhirBaseUrl)}`;
}

/** The built app's runtime config, trusting only this sandbox's FHIR server. */
async function sandboxAppConfig(fhirBaseUrl: string): Promise<unknown> {
  const built = JSON.parse(await readFile(`${APP_DIR}/patella-app.json`, "utf8")) as Record<string, unknown>;
  return { ...built, fhirServers: [fhirBaseUrl] };
}

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const model = await loadModel(options.modelPath);
  let cohort: DemoCohort;
  try {
    cohort = await buildDemoCohort({ seed: options.seed, endDate: options.endDate, poolSize: options.poolSize, total: options.patients, model });
  } finally {
    await model.release();
  }
  const started: { close(): Promise<void> }[] = [];
  try {
    const ehr = await startSandbox({ host: options.host, port: options.ports.ehr, resources: cohort.resources, tags: cohort.tags, pageDir: EHR_PAGE_DIR });
    started.push(ehr);
    const app = await startStaticServer(APP_DIR, options.ports.app, options.host, "SMART app server", {
      jsonFiles: { "/patella-app.json": await sandboxAppConfig(ehr.fhirBaseUrl) },
      home: standaloneLaunchPath(ehr.fhirBaseUrl),
      // The EHR's page, FHIR server, authorization server and style sheet share its origin here.
      headers: appSecurityHeaders({
        connect: [ehr.url],
        frameAncestors: [ehr.url],
        inlineStyles: inlineStyleHashes(`${APP_DIR}/model-card.html`),
      }),
    });
    started.push(app);
    ehr.appClients.push({ clientId: APP_CLIENT_ID, redirectUris: [`${app.url}/app/index.html`] });
    ehr.backendClients.push(...(options.backendClients ?? []));
    const cds = await startCdsService({
      host: options.host,
      port: options.ports.cds,
      ehr,
      appLaunchUrl: `${app.url}/launch.html`,
      modelPath: options.modelPath,
      baselineModelPath: options.baselineModelPath,
      modelCardPath: `${REPO_ROOT}models/deep-koa/MODEL_CARD.md`,
      feedbackDbPath: options.feedbackDbPath,
    });
    started.push(cds);
    ehr.cdsServices.push(cds.url);
    return { ehr, cds, app, cohort, close: () => closeAll(started) };
  } catch (err) {
    await closeAll(started);
    throw err;
  }
}

async function closeAll(servers: { close(): Promise<void> }[]): Promise<void> {
  await Promise.allSettled([...servers].reverse().map((s) => s.close()));
}

/**
 * The stack the end-to-end tests and `npm run bench:app` start: free loopback ports, a fixed
 * seed, 50 patients from a pool of 400, in-memory feedback. PATELLA_MODEL_PATH picks another model.
 */
export function startEphemeralDemoStack(): Promise<DemoStack> {
  return startDemoStack({
    host: "127.0.0.1",
    ports: { ehr: 0, cds: 0, app: 0 },
    seed: 20260101,
    endDate: new Date().toISOString().slice(0, 10),
    poolSize: 400,
    patients: 50,
    ...modelPathsFromEnv(),
    feedbackDbPath: ":memory:",
  });
}
