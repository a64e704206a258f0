/**
 * Starts the real CDS service (createCdsApp + the committed ONNX model) on 127.0.0.1 port 0,
 * with a test EHR whose JWKS and FHIR server are served by msw, and a client that signs each
 * call and checks every response against the CDS Hooks 2.0 schema.
 */
import { http, HttpResponse, type RequestHandler } from "msw";
import { setupServer } from "msw/node";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { pino, type Logger } from "pino";
import { createCdsApp } from "../../../cds-service/app.ts";
import { parseConfig, type CdsConfig, type CdsConfigInput } from "../../../cds-service/config.ts";
import type { FeedbackStore } from "../../../cds-service/feedback/feedback-store.ts";
import { openSqliteFeedbackStore } from "../../../cds-service/feedback/sqlite-feedback-store.ts";
import { createModelRiskService } from "../../../cds-service/risk/model-risk-service.ts";
import type { RiskService } from "../../../cds-service/risk/risk-service.ts";
import { listen, type RunningServer } from "../../../cds-service/server.ts";
import type { ServiceState } from "../../../cds-service/storage/open-service-state.ts";
import { loadRiskModel, type RiskModel } from "../../../shared/inference/index.ts";
import { assertCdsResponse } from "./cds-response-schema.ts";
import { INDEX_DATE } from "./hook-requests.ts";
import { createTestEhr, type TestEhr } from "./test-ehr.ts";

export const PUBLIC_BASE_URL = "https://cds.test.example";
export const FHIR_BASE = "https://fhir.test.example/r4";
export const OPERATOR_TOKEN = "operator-token-for-tests-0123456789";
export const HOOK_PATH = "/cds-services/koa-risk";

export const MODEL_PATH = fileURLToPath(new URL("../../../models/deep-koa/deep-koa.onnx", import.meta.url));

export const BASELINE_MODEL_PATH = fileURLToPath(new URL("../../../models/deep-koa/baseline-age-sex-lr.onnx", import.meta.url));

let model: Promise<RiskModel> | undefined;
/** The committed model, loaded once per test file. */
export function committedModel(): Promise<RiskModel> {
  model ??= loadRiskModel(ort, new Uint8Array(readFileSync(MODEL_PATH)));
  return model;
}

let baseline: Promise<RiskModel> | undefined;
/** The committed age/sex baseline model, loaded once per test file. */
export function committedBaselineModel(): Promise<RiskModel> {
  baseline ??= loadRiskModel(ort, new Uint8Array(readFileSync(BASELINE_MODEL_PATH)));
  return baseline;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is instead of JSON.stringify(body). */
  rawBody?: string | Blob;
  /** A token to send; null sends none; default a fresh valid token for the endpoint. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
}

export interface TestService {
  url: string;
  config: CdsConfig;
  ehr: TestEhr;
  msw: ReturnType<typeof setupServer>;
  feedback: FeedbackStore;
  /** Absolute `aud` for a path. */
  audience(path: string): string;
  call(method: "GET" | "POST" | "OPTIONS" | "PUT" | "DELETE", path: string, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

export interface StartOptions {
  config?: Partial<CdsConfigInput>;
  /** Extra msw handlers (the FHIR server); more can be added with msw.use(). */
  handlers?: RequestHandler[];
  /** Replaces the model-backed risk service (only for hook-policy tests). */
  risk?: RiskService;
  ehr?: TestEhr;
  /** Default: a silent logger. */
  logger?: Logger;
  /** Clock of the JWKS caches; default Date.now. */
  keyClock?: () => number;
  /** Used token ids and feedback (e.g. in PostgreSQL), closed with the service; default an SQLite feedback store and an in-memory replay cache. */
  state?: ServiceState;
}

export function jwksHandler(ehr: TestEhr, url = ehr.jwksUrl): RequestHandler {
  return http.get(url, () => HttpResponse.json(ehr.jwks));
}

export async function startTestService(options: StartOptions = {}): Promise<TestService> {
  const ehr = options.ehr ?? (await createTestEhr());
  // Test-specific handlers come first so they can replace the default JWKS.
  const msw = setupServer(...(options.handlers ?? []), jwksHandler(ehr));
  // Loopback calls (the test client to the service) pass; anything else fails like a network
  // error, so no test can reach the internet.
  msw.listen({
    onUnhandledRequest: (request, print) => {
      if (new URL(request.url).hostname !== "127.0.0.1") print.error();
    },
  });
  const config = parseConfig({
    publicBaseUrl: PUBLIC_BASE_URL,
    port: 0,
    issuers: [{ iss: ehr.iss, jwksUrl: ehr.jwksUrl }],
    feedback: { dbPath: ":memory:", operatorToken: OPERATOR_TOKEN },
    cards: { minTier: "low", appLaunchUrl: "https://app.test.example/launch.html", indexDate: INDEX_DATE },
    fhir: { requestTimeoutMs: 500, totalTimeoutMs: 1500, pageLimit: 5, pageSize: 50 },
    logLevel: "silent",
    ...options.config,
  });
  const sqlite = options.state ? undefined : openSqliteFeedbackStore(config.feedback.dbPath);
  const feedback = options.state?.feedback ?? sqlite!;
  const risk = options.risk ?? createModelRiskService(await committedModel(), await committedBaselineModel());
  const app = createCdsApp(config, {
    logger: options.logger ?? pino({ level: "silent" }),
    risk,
    feedback,
    ...(options.keyClock ? { keyClock: options.keyClock } : {}),
    ...(options.state ? { replayCache: options.state.replay } : {}),
  });
  const running: RunningServer = await listen(app, { port: 0, host: "127.0.0.1" });
  const audience = (path: string) => PUBLIC_BASE_URL + path.split("?")[0]!.replace(/\/+$/, "");

  return {
    url: running.url,
    config,
    ehr,
    msw,
    feedback,
    audience,
    async call(method, path, call = {}) {
      const token = call.token === undefined ? await ehr.sign(audience(path)) : call.token;
      const headers: Record<string, string> = { ...call.headers };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | Blob | undefined = call.rawBody;
      if (body === undefined && call.body !== undefined) body = JSON.stringify(call.body);
      if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
        headers["content-type"] = "application/json";
      }
      const response = await fetch(running.url + path, { method, headers, ...(body === undefined ? {} : { body }) });
      const textBody = await response.text();
      let parsed: unknown = textBody;
      if ((response.headers.get("content-type") ?? "").includes("json") && textBody !== "") parsed = JSON.parse(textBody);
      assertCdsResponse(method, path, response.status, parsed);
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async close() {
      await running.close(1000);
      msw.close();
      sqlite?.close();
      await options.state?.close();
    },
  };
}
