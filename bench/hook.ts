/**
 * `npm run bench:hook`: autocannon on loopback against POST /cds-services/koa-risk with a
 * realistic prefetch (the largest eligible patient of a simulated cohort: three years of
 * history and more) and a freshly signed ES384 JWT per request, at 10 and 100 connections;
 * then the same body against /bench/floor, which only parses and validates it.
 *
 * The service runs in a child process (this file with --serve) so autocannon does not share
 * its event loop. jti replay protection means every hook request needs its own token: the
 * tokens for each run are signed before the run starts (one per request, `amount` requests
 * per run), and the bench service's replay cache is sized to hold them all.
 *
 * Options: --requests N (per hook run at 100 connections; default 3000), --patients N
 * (cohort searched for the patient; default 4000), --model PATH (default the committed model).
 * Prints a table and the floor checks.
 */
import autocannon from "autocannon";
import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Resource } from "fhir/r4";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";

const HOOK_PATH = "/cds-services/koa-risk";
const PUBLIC_BASE_URL = "https://cds.bench.local";
const ISSUER = "https://ehr.bench.local";
const INDEX_DATE = "2026-01-01";
const BODY_MEASURES = new Set(["39156-5", "29463-7", "8302-2"]);

function argString(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`bench/hook.ts: ${name} needs a positive whole number, got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  return value;
}

// ---------------------------------------------------------------- child: the service
async function serve(): Promise<void> {
  const [{ createCdsApp }, { parseConfig }, { openFeedbackStore }, { createLogger }, risk, { listen }] = await Promise.all([
    import("../cds-service/app.ts"),
    import("../cds-service/config.ts"),
    import("../cds-service/feedback/feedback-store.ts"),
    import("../cds-service/logger.ts"),
    import("../cds-service/risk/model-risk-service.ts"),
    import("../cds-service/server.ts"),
  ]);
  const config = parseConfig(JSON.parse(process.env.BENCH_CDS_CONFIG ?? "{}"));
  const models = await risk.loadModelPool(config.model);
  const feedback = openFeedbackStore(":memory:");
  // Logs at info, as in production; the parent discards them.
  const app = createCdsApp(config, { logger: createLogger(config.logLevel), risk: risk.createModelRiskService(models), feedback });
  const running = await listen(app, { port: 0, host: "127.0.0.1" });
  process.send?.({ url: running.url });
  process.on("disconnect", () => {
    void running.close(1000).then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------- parent: the load
async function realisticPrefetch(patients: number): Promise<{ prefetch: Record<string, unknown>; patientId: string; count: number }> {
  const { simulateCohort } = await import("../models/cohort/simulate.ts");
  let best: Resource[] | undefined;
  for (const p of simulateCohort({ patients, seed: 20261127, endDate: "2025-12-31" })) {
    if (p.truth.kneeOaDiagnosisDate !== null) continue;
    if (!best || p.resources.length > best.length) best = p.resources;
  }
  if (!best) throw new Error("no eligible patient in the simulated cohort");
  const patient = best.find((r) => r.resourceType === "Patient")!;
  const of = (type: string, keep: (r: Resource) => boolean = () => true) => ({
    resourceType: "Bundle",
    type: "searchset",
    entry: best!.filter((r) => r.resourceType === type && keep(r)).map((resource) => ({ resource })),
  });
  const isBodyMeasure = (r: Resource) =>
    (r as { code?: { coding?: { code?: string }[] } }).code?.coding?.some((c) => BODY_MEASURES.has(c.code ?? "")) ?? false;
  const prefetch = {
    patient,
    conditions: of("Condition"),
    encounters: of("Encounter"),
    medicationRequests: of("MedicationRequest"),
    medicationStatements: of("MedicationStatement"),
    bodyMeasures: of("Observation", isBodyMeasure),
  };
  const count = Object.values(prefetch).reduce((n, v) => n + ("entry" in v ? v.entry.length : 1), 0);
  return { prefetch, patientId: patient.id!, count };
}

async function startJwks(jwks: unknown): Promise<{ url: string; close: () => void }> {
  const server = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, close: () => server.close() };
}

async function signTokens(key: CryptoKey, count: number): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    tokens.push(
      await new SignJWT({ iss: ISSUER, sub: "bench", aud: PUBLIC_BASE_URL + HOOK_PATH, iat: now, exp: now + 300, jti: `bench-${now}-${i}` })
        .setProtectedHeader({ alg: "ES384", kid: "bench-1", typ: "JWT" })
        .sign(key),
    );
  }
  return tokens;
}

interface RunResult {
  target: string;
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p975: number;
  p99: number;
  failures: number;
}

async function run(url: string, target: "hook" | "floor", connections: number, amount: number, body: string, key: CryptoKey): Promise<RunResult> {
  const tokens = target === "hook" ? await signTokens(key, amount) : [];
  let next = 0;
  const result = await autocannon({
    url: url + (target === "hook" ? HOOK_PATH : "/bench/floor"),
    connections,
    amount,
    timeout: 30,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        ...(target === "hook"
          ? { setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } }) }
          : {}),
      },
    ],
  });
  return {
    target,
    connections,
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p975: result.latency.p97_5,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

async function main(): Promise<void> {
  const hookRequests = argNumber("--requests", 3000);
  const { prefetch, patientId, count } = await realisticPrefetch(argNumber("--patients", 4000));
  const body = JSON.stringify({
    hook: "patient-view",
    hookInstance: crypto.randomUUID(),
    context: { userId: "Practitioner/bench", patientId },
    prefetch,
  });
  console.log(`patient: ${count} resources in the prefetch, body ${(body.length / 1024).toFixed(0)} KiB`);

  const { publicKey, privateKey } = await generateKeyPair("ES384");
  const jwks = await startJwks({ keys: [{ ...(await exportJWK(publicKey)), kid: "bench-1", alg: "ES384", use: "sig" }] });
  const config = {
    publicBaseUrl: PUBLIC_BASE_URL,
    issuers: [{ iss: ISSUER, jwksUrl: jwks.url }],
    // Every request carries a new jti; the cache must hold all of a run's ids.
    jwt: { replayCacheSize: 1_000_000 },
    limits: { rateLimitPerWindow: 10_000_000, bodyLimit: "10mb" },
    cards: { minTier: "low", indexDate: INDEX_DATE },
    feedback: { dbPath: ":memory:" },
    benchFloorEndpoint: true,
    logLevel: "info",
    ...(argString("--model") ? { model: { path: argString("--model") } } : {}),
  };
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_CDS_CONFIG: JSON.stringify(config) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`bench service exited with ${code}`)));
  });
  try {
    // Check one answer, then warm up both paths (JIT, JWKS cache) before measuring.
    const probe = await fetch(url + HOOK_PATH, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${(await signTokens(privateKey, 1))[0]}` },
      body,
    });
    const answer = (await probe.json()) as { cards?: { summary: string }[] };
    if (probe.status !== 200) throw new Error(`hook answered ${probe.status}: ${JSON.stringify(answer)}`);
    console.log(`hook answer: ${answer.cards?.[0]?.summary ?? "no card"}`);
    await run(url, "hook", 10, 300, body, privateKey);
    await run(url, "floor", 10, 300, body, privateKey);

    const results: RunResult[] = [];
    for (const connections of [10, 100]) {
      const amount = connections === 10 ? Math.ceil(hookRequests / 2) : hookRequests;
      results.push(await run(url, "hook", connections, amount, body, privateKey));
      results.push(await run(url, "floor", connections, amount, body, privateKey));
    }
    console.log("\ntarget  conns  requests     req/s   p50 ms  p97.5 ms  p99 ms  failures");
    for (const r of results) {
      console.log(
        `${r.target.padEnd(6)} ${String(r.connections).padStart(6)} ${String(r.requests).padStart(9)} ${r.rps.toFixed(0).padStart(9)} ${String(r.p50).padStart(8)} ${String(r.p975).padStart(9)} ${String(r.p99).padStart(7)} ${String(r.failures).padStart(9)}`,
      );
    }
    const at100 = (t: string) => results.find((r) => r.target === t && r.connections === 100)!;
    const hook = at100("hook");
    const floor = at100("floor");
    console.log(`\nfloor check: hook p99 at 100 connections ${hook.p99} ms (target < 50): ${hook.p99 < 50 ? "PASS" : "FAIL"}`);
    const ratio = hook.rps / floor.rps;
    console.log(`floor check: hook throughput ${(ratio * 100).toFixed(0)}% of the floor's (target >= 50%): ${ratio >= 0.5 ? "PASS" : "FAIL"}`);
    if (results.some((r) => r.failures > 0)) console.log("WARNING: some requests failed (non-2xx, errors or timeouts)");
  } finally {
    child.disconnect();
    jwks.close();
  }
}

if (process.argv.includes("--serve")) {
  serve().catch((err: unknown) => {
    console.error(`bench service failed: ${(err as Error).message}`);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    console.error(`bench:hook failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
