/**
 * Configuration of the CDS Hooks service: one zod schema, loaded from an optional JSON file
 * (PATELLA_CDS_CONFIG) with environment variables layered on top. Every setting is documented
 * in cds-service/README.md; the schema is strict so a misspelt key fails at startup instead of
 * being silently ignored.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { z } from "zod";
import { fhirBaseKey, isTlsOrLoopback } from "../shared/fhir-server-url.ts";
import { RISK_TIERS, type RiskTier } from "../shared/risk-tiers.ts";

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * Where an EHR's signing keys come from: https, or plain http on this machine only (sandbox,
 * tests). Keys fetched over plain http from another host could be swapped by anyone on the path,
 * and with them every JWT check.
 */
const keySetUrl = httpUrl.refine(isTlsOrLoopback, "must be https (plain http only on loopback)");

/** How one EHR differs from the spec; quirks live here, never as ifs in the handlers. */
export const EhrQuirksSchema = z
  .object({
    /** Oracle Health and others drop a smart link's appContext: also put it in the launch URL. */
    appContextInLaunchUrl: z.boolean().default(false),
    /** Some EHRs send the service base URL as `aud` instead of the endpoint URL. */
    audience: z.enum(["endpoint", "base-url"]).default("endpoint"),
  })
  .strict();

export const IssuerSchema = z
  .object({
    /** Exact `iss` value the EHR puts in its JWTs. */
    iss: z.string().min(1),
    /** Where the EHR publishes its public keys. */
    jwksUrl: keySetUrl,
    /** `jku` header values accepted from this issuer (exact match); none when empty. */
    allowedJku: z.array(keySetUrl).default([]),
    /**
     * FHIR base URLs this issuer may name as `fhirServer`; the fetch fallback (and the access
     * token) goes nowhere else. Unset: any https URL (logged as a warning at startup).
     */
    fhirServers: z.array(httpUrl.transform(fhirBaseKey)).optional(),
    quirks: EhrQuirksSchema.prefault({}),
  })
  .strict();

export const CdsConfigSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(3001),
    host: z.string().default("127.0.0.1"),
    /** Worker processes sharing the port (node:cluster); one per core by default. */
    workers: z.number().int().min(1).max(64).default(() => availableParallelism()),
    /** Public base URL of the service as the EHR calls it; JWT `aud` is checked against it. */
    publicBaseUrl: httpUrl.transform((u) => u.replace(/\/+$/, "")),
    issuers: z.array(IssuerSchema).default([]),
    /** Development only: accept calls without a JWT, and only from loopback. Logged loudly. */
    allowUnsignedLoopback: z.boolean().default(false),
    jwt: z
      .object({
        clockSkewSeconds: z.number().int().min(0).max(300).default(30),
        /** Tokens whose `iat` is older than this are refused even if `exp` is later. */
        maxTokenAgeSeconds: z.number().int().min(1).max(3600).default(300),
        /** Upper bound on `jti`s remembered in memory where no store is given (sandbox, tests). */
        replayCacheSize: z.number().int().min(1).default(100_000),
        /** SQLite file of used `jti`s that the workers share and that outlives restarts (unless databaseUrl is set). */
        replayCachePath: z.string().default("var/cds-replay.sqlite"),
        jwksTimeoutMs: z.number().int().min(100).default(3000),
        /** Minimum time between two JWKS refreshes caused by an unknown `kid`. */
        jwksCooldownMs: z.number().int().min(0).default(30_000),
        jwksCacheMaxAgeMs: z.number().int().min(1000).default(600_000),
        /** While the key server fails, the last good keys stay usable this long past jwksCacheMaxAgeMs. */
        jwksStaleMaxAgeMs: z.number().int().min(0).default(24 * 3600_000),
        /** No new fetch this long after a failed one; doubled per consecutive failure up to the max. */
        jwksFailureBackoffMs: z.number().int().min(0).default(5_000),
        jwksFailureBackoffMaxMs: z.number().int().min(0).default(300_000),
      })
      .strict()
      .prefault({}),
    fhir: z
      .object({
        /** Timeout of each outgoing FHIR request. */
        requestTimeoutMs: z.number().int().min(50).default(2500),
        /** Budget for all fetches of one hook call. */
        totalTimeoutMs: z.number().int().min(50).default(4000),
        /** Pages followed per search (prefetch `next` links included). */
        pageLimit: z.number().int().min(1).max(100).default(10),
        pageSize: z.number().int().min(1).max(1000).default(200),
        /** Bytes of FHIR responses read for one hook call, all requests together (memory bound). */
        maxResponseBytes: z.number().int().min(1024).default(16 * 1024 * 1024),
        /** Plain-http fhirServer URLs are refused unless this is set (tests, local sandboxes). */
        allowHttp: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    model: z
      .object({
        path: z.string().default("models/deep-koa/deep-koa.onnx"),
        /** The age/sex baseline model: the card compares the risk with its risk for the same age and sex. */
        baselinePath: z.string().default("models/deep-koa/baseline-age-sex-lr.onnx"),
        /** onnxruntime intra-op threads (1 is fastest for per-request batches; see the README). */
        threads: z.number().int().min(1).max(64).default(1),
        /** Copies of the model (see README: with onnxruntime-node 1.30, more than one does not help). */
        instances: z.number().int().min(1).max(16).default(1),
        /** Model card linked as the card's source; default: this service's GET /model-card. */
        modelCardUrl: httpUrl.optional(),
        /** Markdown file served at GET /model-card. */
        modelCardPath: z.string().default("models/deep-koa/MODEL_CARD.md"),
      })
      .strict()
      .prefault({}),
    cards: z
      .object({
        /** SMART launch URL of the Patella app, used for the card's smart link. */
        appLaunchUrl: httpUrl.default("http://127.0.0.1:5173/launch.html"),
        /** Lowest risk tier that still gets a card (tiers: shared/risk-tiers.ts). */
        minTier: z.enum(RISK_TIERS as readonly [RiskTier, ...RiskTier[]]).default("moderate"),
        /** Fixed index date (YYYY-MM-DD) instead of the request day; for demos and tests. */
        indexDate: z.iso.date().optional(),
      })
      .strict()
      .prefault({}),
    /**
     * PostgreSQL for used JWT ids and feedback, shared by replicas on several machines; unset:
     * the SQLite files below (one machine). Holds a password: set it from a secret.
     */
    databaseUrl: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    feedback: z
      .object({
        dbPath: z.string().default("var/cds-feedback.sqlite"),
        /** Bearer token for GET /operator/feedback-summary; the endpoint is off without one. */
        operatorToken: z.string().min(24).optional(),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        bodyLimit: z.string().default("5mb"),
        /** Requests per issuer (or per IP before authentication) per window. */
        rateLimitPerWindow: z.number().int().min(1).default(600),
        rateWindowMs: z.number().int().min(1000).default(60_000),
      })
      .strict()
      .prefault({}),
    /** Express "trust proxy": hops of reverse proxies whose X-Forwarded-For is believed (0: none). */
    trustProxyHops: z.number().int().min(0).max(10).default(0),
    /** Origins allowed by CORS; "*" allows any (tokens travel in a header, not cookies). */
    corsOrigins: z.union([z.literal("*"), z.array(z.string())]).default("*"),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Benchmarks only: expose POST /bench/floor, which parses and validates a hook body. */
    benchFloorEndpoint: z.boolean().default(false),
  })
  .strict();

export type CdsConfig = z.infer<typeof CdsConfigSchema>;
export type CdsConfigInput = z.input<typeof CdsConfigSchema>;
export type IssuerConfig = CdsConfig["issuers"][number];
export type EhrQuirks = IssuerConfig["quirks"];

/** Environment variables that override single settings (documented in the README). */
export const ENV_SETTINGS: Record<string, (raw: string) => Record<string, unknown>> = {
  PORT: (v) => ({ port: Number(v) }),
  HOST: (v) => ({ host: v }),
  PATELLA_CDS_WORKERS: (v) => ({ workers: Number(v) }),
  PATELLA_CDS_PUBLIC_URL: (v) => ({ publicBaseUrl: v }),
  PATELLA_CDS_ISSUERS: (v) => ({ issuers: parseJsonText(v) }),
  PATELLA_CDS_ALLOW_UNSIGNED_LOOPBACK: (v) => ({ allowUnsignedLoopback: v === "true" }),
  PATELLA_MODEL_PATH: (v) => ({ model: { path: v } }),
  PATELLA_BASELINE_MODEL_PATH: (v) => ({ model: { baselinePath: v } }),
  PATELLA_MODEL_CARD_URL: (v) => ({ model: { modelCardUrl: v } }),
  PATELLA_MODEL_CARD_PATH: (v) => ({ model: { modelCardPath: v } }),
  PATELLA_APP_LAUNCH_URL: (v) => ({ cards: { appLaunchUrl: v } }),
  PATELLA_CDS_MIN_TIER: (v) => ({ cards: { minTier: v } }),
  PATELLA_CDS_INDEX_DATE: (v) => ({ cards: { indexDate: v } }),
  PATELLA_REPLAY_DB: (v) => ({ jwt: { replayCachePath: v } }),
  PATELLA_FEEDBACK_DB: (v) => ({ feedback: { dbPath: v } }),
  PATELLA_OPERATOR_TOKEN: (v) => ({ feedback: { operatorToken: v } }),
  PATELLA_DATABASE_URL: (v) => ({ databaseUrl: v }),
  LOG_LEVEL: (v) => ({ logLevel: v }),
};

/** JSON.parse, whose error says where the text breaks but not what it holds: V8's message quotes
 * the text around the fault ('Unexpected token ... "...": a security review saw ten characters of
 * a secret printed from a config file missing a comma), and a config holds the operator token and
 * the database password. */
function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const position = /at position (\d+)/.exec((err as Error).message);
    const unshown = "(the text there is not shown: it may hold a secret)";
    if (position === null) throw new Error(`JSON syntax error ${unshown}`);
    const before = text.slice(0, Number(position[1])).split("\n");
    throw new Error(`JSON syntax error at line ${before.length}, column ${before.at(-1)!.length + 1} ${unshown}`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

/** The paths of the settings an object sets ("cards.appLaunchUrl"). */
function settingPaths(settings: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(settings).flatMap(([key, value]) => (isPlainObject(value) ? settingPaths(value, `${prefix}${key}.`) : [`${prefix}${key}`]));
}

/** Each setting that an environment variable sets, with the variable's name. */
const ENV_NAME_BY_SETTING = new Map(Object.entries(ENV_SETTINGS).flatMap(([name, toSetting]) => settingPaths(toSetting("[]")).map((path) => [path, name] as const)));

/**
 * Where to look for a problem at or under a setting an environment variable sets: that variable
 * when it is set (the value came from it), else the config file or the variable (a setting left
 * out of both is most often missing from the environment of `npm run serve`).
 */
function envHint(path: readonly PropertyKey[], envSet: ReadonlySet<string>): string {
  for (let length = path.length; length > 0; length--) {
    const name = ENV_NAME_BY_SETTING.get(path.slice(0, length).join("."));
    if (name !== undefined) return envSet.has(name) ? ` (from environment variable ${name})` : ` (config file, or environment variable ${name})`;
  }
  return "";
}

/** Validates raw settings, throwing one message that lists every problem with its path and, where
 * one can set it, its environment variable; `envSet` names the variables that were set. */
export function parseConfig(raw: unknown, origin = "configuration", envSet: ReadonlySet<string> = new Set()): CdsConfig {
  const parsed = CdsConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}${envHint(i.path, envSet)}`);
    throw new Error(`Invalid ${origin}:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** The environment variable naming the JSON config file. */
export const CONFIG_FILE_ENV = "PATELLA_CDS_CONFIG";

/** Reads PATELLA_CDS_CONFIG (a JSON file) if set, then applies the environment variables. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CdsConfig {
  let raw: Record<string, unknown> = {};
  const file = env[CONFIG_FILE_ENV];
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new Error(`Cannot read config file ${file}: ${(err as Error).message}`);
    }
    try {
      // A byte-order mark, as some Windows editors save UTF-8, is not JSON, but it is not the
      // operator's mistake either.
      const json = parseJsonText(text.replace(/^\uFEFF/, ""));
      if (!isPlainObject(json)) throw new Error("the top level must be a JSON object");
      raw = json;
    } catch (err) {
      throw new Error(`Config file ${file} is not valid: ${(err as Error).message}`);
    }
  }
  const envSet = new Set<string>();
  for (const [name, toSetting] of Object.entries(ENV_SETTINGS)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    envSet.add(name);
    try {
      raw = deepMerge(raw, toSetting(value));
    } catch (err) {
      throw new Error(`Environment variable ${name} is not valid: ${(err as Error).message}`);
    }
  }
  return parseConfig(raw, file ? `configuration (${file} + environment)` : "configuration (environment)", envSet);
}
