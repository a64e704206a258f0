/**
 * `npm run bench:hook`: autocannon on loopback against POST /cds-services/koa-risk with a
 * realistic prefetch (the largest eligible patient of a simulated cohort: three years of
 * history and more) and a freshly signed ES384 JWT per request, at 10 and 100 connections;
 * then the same body against /bench/floor, which only parses and validates it, and against a
 * bare node:http "sink" that only reads the body: the most any service could do with this
 * body on this machine, client and loopback included. A third service, with the development
 * setting allowUnsignedLoopback, answers the same below-tier call unsigned: not a target, but
 * the difference in CPU per request between it and the signed call is what the JWT check (the
 * ES384 signature, its thread hop and the replay insert) costs inside the service, which the
 * bench sets against what the targets allow.
 *
 * The service is the production entry point, `npm run serve` (build/cds-service/main.js, compiled first), in a
 * child process: the cluster primary and its workers (default one per core, as deployed),
 * logging at info to a pipe this process drains, feedback and replay cache in SQLite files.
 * jti replay protection means every hook request needs its own token: the tokens for each run
 * are signed before the run starts (one per request, `amount` requests per run).
 *
 * Besides latency and throughput it prints the service's CPU time per request (all its
 * processes, from /proc): on a shared machine that figure moves far less than req/s. Before
 * the load it prints the CPU cost of each stage of one hook call, run in this process with
 * the service's own code and SQLite stores, and after it each target's CPU per request against
 * the sum of its stages, so the gap between hook and floor can be accounted for.
 *
 * Options: --requests N (per hook run at 100 connections, half at 10; the floor and the sink,
 * about three times faster, get three times as many, so that every run lasts seconds; default
 * 3000), --rounds N (the interleaved runs repeated N times; the ratios, CPU figures and p99 are
 * the medians over the rounds, each round's printed; default 3), --patients N
 * (cohort searched for the patient; default 4000), --model PATH (default the committed model),
 * --workers N (default: the service's own default, one per core), --cpu-prof DIR (the service's
 * processes write V8 CPU profiles there when they stop, in card-and-floor/ for the service that
 * answers with a card and serves the floor, below-tier/ for the other; open them in Chrome DevTools),
 * --stages-only (print the stage table and stop: no services, no load).
 * Prints the configuration that ran, a table and the floor checks.
 */
import autocannon from "autocannon";
import { isUtf8 } from "node:buffer";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { exportJWK, generateKeyPair, type CryptoKey } from "jose";
import { pino } from "pino";
import { type BenchService, startBenchService } from "./hook-service.ts";
import { HOOK_PATH, hookBody, ISSUER, PUBLIC_BASE_URL, realisticPrefetch, signTokens, startJwks } from "./hook-prefetch.ts";
import { benchArgs } from "./bench-args.ts";

const INDEX_DATE = "2026-01-01";

const args = benchArgs(import.meta.url, {
  command: "npm run bench:hook --",
  options: { requests: { value: "N" }, rounds: { value: "N" }, patients: { value: "N" }, model: { value: "PATH" }, workers: { value: "N" }, "cpu-prof": { value: "DIR" }, "stages-only": { flag: true } },
});

/** The running service: the cluster primary and how to reach and stop it. */

/** cluster.fork passes the primary's execArgv on, so every worker writes its own profile at exit. */
const profileFlags = (profileDir: string | undefined): string[] => (profileDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", profileDir]);

/** The sink: one process, no framework, reads the body and answers {"cards":[]}. */
const SINK_SOURCE = `
const server = require("node:http").createServer((req, res) => {
  req.resume();
  req.on("end", () => res.setHeader("content-type", "application/json").end('{"cards":[]}'));
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.on("SIGTERM", () => process.exit(0));
`;

async function startSink(): Promise<BenchService> {
  const child = spawn(process.execPath, ["-e", SINK_SOURCE]);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.once("exit", () => child.kill("SIGTERM"));
  const port = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    workers: 1,
    pid: child.pid!,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** One thing to load: a path on a running service, with a fresh signed token per request or none. */
interface Target {
  name: string;
  service: BenchService;
  path: string;
  signed: boolean;
}

/**
 * CPU seconds used so far by a process and its children (the cluster workers), from /proc;
 * undefined where /proc is not available.
 */
function cpuSeconds(pid: number): number | undefined {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const stat = (p: string) => {
    const text = readFileSync(`/proc/${p}/stat`, "utf8");
    // Fields after the command name, which sits in parentheses and may hold spaces.
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  };
  try {
    let ticks = 0;
    for (const p of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      let fields: string[];
      try {
        fields = stat(p);
      } catch {
        continue; // exited meanwhile
      }
      // fields[1] is the parent pid, [11] and [12] user and system time.
      if (p === String(pid) || fields[1] === String(pid)) ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / ticksPerSecond;
  } catch {
    return undefined;
  }
}

interface RunResult {
  target: string;
  /** Which of the --rounds (from 1). */
  round: number;
  connections: number;
  requests: number;
  /** From the start of the run to the last response, measured here (not autocannon's whole seconds). */
  seconds: number;
  rps: number;
  /** Latency percentiles in ms, exact over every response's own time (autocannon's are whole ms). */
  p50: number;
  p975: number;
  p99: number;
  failures: number;
  /** Service CPU time per request (all its processes), when /proc can tell. */
  cpuMsPerRequest: number | undefined;
}

/** The median of a few figures (the rounds'): the middle one, or the mean of the middle two. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number);
}

/**
 * `amount` requests at `connections`. Timed from per-response events: autocannon run for a
 * number of requests stops on its one-second reporting tick, so its own duration is rounded up
 * to whole seconds (1.01, 2.00, 4.05 s were seen), which understated short runs' req/s.
 */
async function run(target: Target, connections: number, amount: number, body: string, key: CryptoKey, round = 0): Promise<RunResult> {
  const tokens = target.signed ? await signTokens(key, amount) : [];
  let next = 0;
  const latencies: number[] = [];
  let last = 0;
  const cpuBefore = cpuSeconds(target.service.pid);
  const start = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.service.url + target.path,
        connections,
        amount,
        timeout: 30,
        requests: [
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            body,
            ...(target.signed
              ? { setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } }) }
              : {}),
          },
        ],
      },
      (err, done) => (err ? reject(err) : resolve(done)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
      last = performance.now();
    });
  });
  const cpuAfter = cpuSeconds(target.service.pid);
  const seconds = (last - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    target: target.name,
    round,
    connections,
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p975: percentile(latencies, 0.975),
    p99: percentile(latencies, 0.99),
    failures: result.non2xx + result.errors + result.timeouts,
    cpuMsPerRequest: cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1000) / latencies.length,
  };
}

/** One stage of the table: what it is, and one call of it. */
type Stage = [name: string, work: () => unknown];

/**
 * CPU time (all threads: WebCrypto and onnxruntime may use others) of each stage, the median of
 * `rounds` means of `n` calls; every round runs every stage, so one busy moment on the shared
 * machine (or a first call's JIT and connection set-up) moves one round, not the figure.
 */
async function stageCpuMs(stages: readonly Stage[], rounds: number, n: number): Promise<number[]> {
  const means = stages.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [s, [, work]] of stages.entries()) {
      for (let i = 0; i < 20; i++) await work();
      const before = process.cpuUsage();
      for (let i = 0; i < n; i++) await work();
      const used = process.cpuUsage(before);
      means[s]!.push((used.user + used.system) / 1000 / n);
    }
  }
  return means.map((m) => m.sort((a, b) => a - b)[Math.floor(m.length / 2)]!);
}

/** Sums of the stage table for each target, to set against each target's CPU per request. */
interface StageSums {
  floor: number;
  below: number;
  card: number;
  /** The JWT check's stage (ES384 verification and replay insert), part of `below` and `card`. */
  jwt: number;
}

/** How the service reads a body (cds-service/http/json-body.ts): the socket's chunks (64 KiB)
 * joined, checked as UTF-8, decoded to one string for JSON.parse. */
function readBody(bytes: Buffer): unknown {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 65536) chunks.push(bytes.subarray(at, at + 65536));
  const body = Buffer.concat(chunks);
  if (!isUtf8(body)) throw new Error("bench body is not UTF-8");
  return JSON.parse(body.toString("utf8"));
}

/**
 * Prints the CPU cost of each stage of a hook call for this body, measured in this process
 * with the service's own code and stores (SQLite files in `dir`, as `npm run serve` keeps
 * them), and returns the sums per target. What the sums leave out is HTTP, Express routing
 * and middleware (helmet, CORS, two rate limiters) and the garbage collection of the
 * service's many concurrent requests.
 */
async function printStageCosts(body: string, key: CryptoKey, jwksUrl: string, dir: string, modelPath: string | undefined): Promise<StageSums> {
  const [{ parsePatientViewCall }, { gatherPatientData }, { KOA_RISK_PREFETCH }, { KOA_RISK_SERVICE_ID }, { buildFeatures }, { explainRisk }, { createModelRiskService, loadBaselineModel, loadModelPool }, { parseConfig }, { createLogger }, { openServiceState }, { createJwtVerifier }, { answerPatientView }, { recordCaveats }, { issuedCardOf }] =
    await Promise.all([
      import("../cds-service/schemas/hook-request.ts"),
      import("../cds-service/fhir/gather-patient-data.ts"),
      import("../shared/risk-record-queries.ts"),
      import("../cds-service/routes/cds-services/koa-risk/definition.ts"),
      import("../shared/features/build-features.ts"),
      import("../shared/inference/explain.ts"),
      import("../cds-service/risk/model-risk-service.ts"),
      import("../cds-service/config.ts"),
      import("../cds-service/logger.ts"),
      import("../cds-service/storage/open-service-state.ts"),
      import("../cds-service/security/verify-jwt.ts"),
      import("../cds-service/routes/cds-services/koa-risk/answer.ts"),
      import("../shared/record-caveats.ts"),
      import("../cds-service/cards/issued-card.ts"),
    ]);
  const config = parseConfig({
    publicBaseUrl: PUBLIC_BASE_URL,
    issuers: [{ iss: ISSUER, jwksUrl }],
    jwt: { replayCachePath: join(dir, "replay.sqlite") },
    cards: { minTier: "low", indexDate: INDEX_DATE },
    feedback: { dbPath: join(dir, "feedback.sqlite") },
    ...(modelPath ? { model: { path: modelPath } } : {}),
  });
  // The service's logger (redaction included), writing synchronously as it does, to /dev/null.
  const logger = createLogger("info", pino.destination({ dest: "/dev/null", sync: true }));
  const quiet = createLogger("silent");
  const models = await loadModelPool({ ...config.model, instances: 1 });
  const model = models[0]!;
  const baseline = await loadBaselineModel(config.model);
  const state = await openServiceState(config, quiet);
  const verify = createJwtVerifier(config.issuers, config.jwt, state.replay, { logger: quiet });
  const answerOptions = {
    config,
    modelCardUrl: `${PUBLIC_BASE_URL}/model-card`,
    risk: createModelRiskService(models, baseline),
    issuedCards: state.feedback,
    logger: quiet,
    now: () => new Date(),
    newUuid: () => crypto.randomUUID(),
  };
  const belowOptions = { ...answerOptions, config: { ...config, cards: { ...config.cards, minTier: "high" as const } } };

  const bytes = Buffer.from(body);
  const parsed: unknown = JSON.parse(body);
  const { request, context } = parsePatientViewCall(parsed, "patient-view");
  const issuer = config.issuers[0]!;
  const gather = () => gatherPatientData({ request, patientId: context.patientId, specs: KOA_RISK_PREFETCH, fhir: config.fhir, logger: quiet });
  const { resources, cardContext } = await gather();
  const features = buildFeatures(resources, INDEX_DATE);
  // As the service calls it: the probability is known, so the batch has no row for the patient.
  const [probability] = await model.predict([features]);
  let rows = 0;
  const counting: typeof model = { ...model, predictPacked: (batch) => ((rows = batch.size), model.predictPacked(batch)) };
  await explainRisk(counting, features, { probability: probability! });
  const card = await answerPatientView(answerOptions, request, context.patientId, issuer);
  const below = await answerPatientView(belowOptions, request, context.patientId, issuer);
  if (card.response.cards.length !== 1 || below.response.cards.length !== 0) throw new Error("stage table: the in-process answers do not match the services' tiers");
  const issued = card.response.cards[0]!;
  const issuedTo = { serviceId: KOA_RISK_SERVICE_ID, hookInstance: request.hookInstance, tier: "low", issuer: ISSUER, issuedAt: new Date().toISOString() };
  const logLine = (fields: Record<string, unknown>) => logger.info({ method: "POST", path: HOOK_PATH, status: 200, durationMs: 12.3, hookInstance: request.hookInstance, ...fields }, "request");
  const ROUNDS = 5;
  const N = 100;
  const tokens = await signTokens(key, ROUNDS * (N + 20));
  let nextToken = 0;
  const audience = () => PUBLIC_BASE_URL + HOOK_PATH;
  const groups: [title: string, stages: Stage[]][] = [
    [
      "floor and hook:",
      [
        ["body to one string (> 128 KiB: V8 large-object space, fresh pages each time)", () => bytes.toString("utf8")],
        ["JSON.parse", () => JSON.parse(body)],
        ["body as the service reads it: 64 KiB chunks joined, UTF-8 checked, one string, JSON.parse", () => readBody(bytes)],
        ["validation of the call", () => parsePatientViewCall(parsed, "patient-view")],
        ["log line (pino, redaction, sync write)", () => logLine({})],
        ['answer {"cards":[]} to JSON', () => JSON.stringify({ cards: [] })],
      ],
    ],
    [
      "hook, every call:",
      [
        ["ES384 JWT verification + replay insert (SQLite)", () => verify(tokens[nextToken++]!, audience)],
        ["answer below the card tier (gather, features, 1-row prediction)", () => answerPatientView(belowOptions, request, context.patientId, issuer)],
        ["  of which prefetch classification", gather],
        ["  of which buildFeatures", () => buildFeatures(resources, INDEX_DATE)],
        ["  of which prediction (1 row)", () => model.predict([features])],
        ["  of which the record's caveats (KL grade, OA site, knee replaced, currency)", () => recordCaveats(resources, cardContext, INDEX_DATE)],
        ["log line with the hook's fields", () => logLine(below.logFields)],
      ],
    ],
    [
      "hook with a card:",
      [
        ["answer with a card (all of the above, explanation, card, record)", () => answerPatientView(answerOptions, request, context.patientId, issuer)],
        [`  of which explainRisk (${rows} rows)`, () => explainRisk(model, features, { probability: probability! })],
        ["  of which the age/sex baseline (1 row)", () => baseline.predict([features])],
        ["  of which the issued card's record (SQLite insert)", () => state.feedback.recordIssued(issuedCardOf({ ...issued, uuid: crypto.randomUUID() }, issuedTo))],
        ["log line with the card's fields", () => logLine(card.logFields)],
        ["card answer to JSON", () => JSON.stringify(card.response)],
      ],
    ],
  ];
  const stages = groups.flatMap(([, group]) => group);
  const costs = await stageCpuMs(stages, ROUNDS, N);
  /** The cost of the first stage from index `after` on whose name starts with `prefix`. */
  const named = (prefix: string, after = 0) => costs[stages.findIndex(([name], i) => i >= after && name.startsWith(prefix))]!;
  await state.close();
  await model.release();
  const floorStages = groups[0]![1].length;
  const hookStages = floorStages + groups[1]![1].length;
  const read = named("body as the service") + named("validation");
  const sums: StageSums = {
    floor: read + named("log line") + named("answer {"),
    below: read + named("ES384") + named("answer below") + named("log line", floorStages) + named("answer {"),
    card: read + named("ES384") + named("answer with") + named("log line", hookStages) + named("card answer"),
    jwt: named("ES384"),
  };
  console.log(`\nCPU per stage of one hook call (this process, the service's own code and SQLite stores; median of ${ROUNDS} rounds of ${N} calls):`);
  let i = 0;
  for (const [title, group] of groups) {
    console.log(`  ${title}`);
    for (const [name] of group) console.log(`    ${name.padEnd(72)} ${costs[i++]!.toFixed(3)} ms`);
  }
  console.log(`  sums (lines not marked "of which"): floor ${sums.floor.toFixed(2)} ms, hook below the tier ${sums.below.toFixed(2)} ms, hook with a card ${sums.card.toFixed(2)} ms`);
  // CPU-bound, throughput is inversely proportional to CPU per request: a ratio g to the floor
  // allows the hook at most floor x (1/g - 1) of work beyond the floor's, before any overhead.
  console.log("  what the targets allow by these stages alone (no HTTP, Express or GC for either):");
  for (const [name, sum, goal] of [["below the card tier", sums.below, 0.55], ["with a card", sums.card, 0.4]] as const) {
    const allowed = sums.floor * (1 / goal - 1);
    const verdict = sum - sums.floor <= allowed ? "fits" : "does not fit";
    console.log(`    ${name}: >= ${Math.round(goal * 100)}% of the floor allows ${allowed.toFixed(2)} ms beyond the floor's ${sums.floor.toFixed(2)} ms; the hook's stages add ${(sum - sums.floor).toFixed(2)} ms: ${verdict} (stage ratio ${((100 * sums.floor) / sum).toFixed(0)}%)`);
  }
  return sums;
}

/** Each round's figure for one target and connection count, in round order. */
type RoundsOf = (target: Target, connections: number) => RunResult[];

/**
 * The targets' arithmetic with the JWT check as the service pays it. Per round, the signed
 * below-tier call's CPU per request less the unsigned one's is the check's cost in the service
 * (an underestimate: the unsigned call logs a warning line more); its median is set against
 * what each ratio allows beyond the floor (floor x (1/g - 1), CPU-bound). What is left must pay
 * for the answer, whose stages (warm, no HTTP, Express or GC) are a lower bound, and for the
 * hook's costs beyond its stages, measured here as the unsigned call's CPU less the floor's and
 * less the below-tier answer's stages.
 */
function printJwtArithmetic(targets: { floor: Target; below: Target; card: Target; unsigned: Target }, sums: StageSums, roundsOf: RoundsOf): void {
  console.log("\nThe JWT check inside the service (CPU per request: the signed below-tier call less the unsigned one, median of the rounds' differences):");
  for (const connections of [10, 100]) {
    const cpu = [targets.floor, targets.below, targets.unsigned, targets.card].map((t) => roundsOf(t, connections).map((r) => r.cpuMsPerRequest));
    if (cpu.some((rounds) => rounds.includes(undefined))) return; // no /proc
    const [floor, below, unsigned, card] = cpu as [number[], number[], number[], number[]];
    const [f, b, u, c] = [floor, below, unsigned, card].map(median) as [number, number, number, number];
    const jwt = median(below.map((v, i) => v - unsigned[i]!));
    const answerBelow = sums.below - sums.floor - sums.jwt;
    const answerCard = sums.card - sums.floor - sums.jwt;
    const beyondStages = u - f - answerBelow;
    const throughput = median(roundsOf(targets.unsigned, connections).map((r, i) => r.rps / roundsOf(targets.floor, connections)[i]!.rps));
    console.log(`  ${connections} connections: ${jwt.toFixed(2)} ms (its stage in one process: ${sums.jwt.toFixed(2)} ms); floor ${f.toFixed(2)}, below the tier ${b.toFixed(2)}, unsigned ${u.toFixed(2)}, card ${c.toFixed(2)} ms`);
    console.log(`    even with the JWT check free, below the tier: ${((100 * f) / u).toFixed(0)}% of the floor by CPU (measured unsigned; ${(100 * throughput).toFixed(0)}% by throughput), target 55%`);
    console.log(`    even with the JWT check free, with a card: ${((100 * f) / (c - jwt)).toFixed(0)}% of the floor by CPU (the card's CPU less the check's), target 40%`);
    console.log(`    the unsigned hook's costs beyond its stages (HTTP, Express, limiters, GC, cold caches): ${beyondStages.toFixed(2)} ms`);
    for (const [name, goal, answer] of [["below the card tier", 0.55, answerBelow], ["with a card", 0.4, answerCard]] as const) {
      const allowed = f * (1 / goal - 1);
      const left = allowed - jwt;
      const verdict =
        left < answer
          ? `cannot be reached: the JWT check and the answer's stages alone (${(jwt + answer).toFixed(2)} ms) exceed it`
          : left < answer + beyondStages
            ? `reachable only if the hook's costs beyond its stages fell from ${beyondStages.toFixed(2)} to ${(left - answer).toFixed(2)} ms`
            : "within reach";
      console.log(`    ${name}: ${Math.round(goal * 100)}% allows ${allowed.toFixed(2)} ms beyond the floor; the JWT check leaves ${left.toFixed(2)} ms for the answer (stages ${answer.toFixed(2)} ms) and the rest: ${verdict}`);
    }
  }
}

async function main(): Promise<void> {
  const hookRequests = args.wholeNumber("requests", 3000);
  const rounds = args.wholeNumber("rounds", 3);
  const { prefetch, patientId, count } = await realisticPrefetch(args.wholeNumber("patients", 4000));
  const body = hookBody(prefetch, patientId);
  console.log(`patient: ${count} resources in the prefetch, body ${(body.length / 1024).toFixed(0)} KiB`);

  const { publicKey, privateKey } = await generateKeyPair("ES384");
  const jwks = await startJwks({ keys: [{ ...(await exportJWK(publicKey)), kid: "bench-1", alg: "ES384", use: "sig" }] });
  const dir = mkdtempSync(join(tmpdir(), "patella-bench-hook-"));
  const stagesDir = join(dir, "stages");
  const sums = await printStageCosts(body, privateKey, jwks.url, stagesDir, args.values.model);
  if (args.values["stages-only"] === true) {
    jwks.close();
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const workers = args.values.workers === undefined ? undefined : args.wholeNumber("workers", 1);
  const config = {
    port: 0,
    ...(workers ? { workers } : {}),
    publicBaseUrl: PUBLIC_BASE_URL,
    issuers: [{ iss: ISSUER, jwksUrl: jwks.url }],
    // Every request carries a new jti; with one worker the in-memory cache must hold a run's ids.
    jwt: { replayCacheSize: 1_000_000, replayCachePath: join(dir, "replay.sqlite") },
    limits: { rateLimitPerWindow: 10_000_000, bodyLimit: "10mb" },
    cards: { minTier: "low", indexDate: INDEX_DATE },
    feedback: { dbPath: join(dir, "feedback.sqlite") },
    benchFloorEndpoint: true,
    logLevel: "info",
    ...(args.values.model ? { model: { path: args.values.model } } : {}),
  };
  // Two services side by side: every call gets a card and its explanation from the first; the
  // second's card tier is above the patient's, as for most patients in production.
  // Each service profiles into its own folder: the first serves the card and the floor, the second only below-tier calls.
  const profileDir = args.values["cpu-prof"];
  const service = await startBenchService(config, dir, { nodeFlags: profileFlags(profileDir && join(profileDir, "card-and-floor")) });
  const belowDir = join(dir, "below");
  mkdirSync(belowDir);
  const below = await startBenchService(
    {
      ...config,
      jwt: { ...config.jwt, replayCachePath: join(belowDir, "replay.sqlite") },
      feedback: { dbPath: join(belowDir, "feedback.sqlite") },
      cards: { ...config.cards, minTier: "high" },
    },
    belowDir,
    { nodeFlags: profileFlags(profileDir && join(profileDir, "below-tier")) },
  );
  // The same below-tier service, admitting unsigned loopback calls: the JWT check's cost in the service, by difference.
  const unsignedDir = join(dir, "unsigned");
  mkdirSync(unsignedDir);
  const unsigned = await startBenchService(
    {
      ...config,
      allowUnsignedLoopback: true,
      jwt: { ...config.jwt, replayCachePath: join(unsignedDir, "replay.sqlite") },
      feedback: { dbPath: join(unsignedDir, "feedback.sqlite") },
      cards: { ...config.cards, minTier: "high" },
    },
    unsignedDir,
    { nodeFlags: profileFlags(profileDir && join(profileDir, "below-tier-unsigned")) },
  );
  console.log(`services: npm run serve (build/cds-service/main.js, compiled by the bench as npm run build does), ${service.workers} worker process(es) each, log level info, feedback and replay cache in SQLite files`);
  const sink = await startSink();
  try {
    const targets = {
      card: { name: "hook, card + explanation", service, path: HOOK_PATH, signed: true },
      below: { name: "hook, below the card tier", service: below, path: HOOK_PATH, signed: true },
      floor: { name: "floor", service, path: "/bench/floor", signed: false },
      sink: { name: "sink", service: sink, path: "/", signed: false },
      unsigned: { name: "below the tier, no JWT", service: unsigned, path: HOOK_PATH, signed: false },
    } satisfies Record<string, Target>;
    // Check both hook answers, then warm up every path (JIT, JWKS cache) before measuring.
    for (const [target, wantsCard] of [[targets.card, true], [targets.below, false], [targets.unsigned, false]] as const) {
      const authorization: Record<string, string> = target.signed ? { authorization: `Bearer ${(await signTokens(privateKey, 1))[0]}` } : {};
      const probe = await fetch(target.service.url + HOOK_PATH, { method: "POST", headers: { "content-type": "application/json", ...authorization }, body });
      const answer = (await probe.json()) as { cards?: { summary: string }[] };
      if (probe.status !== 200) throw new Error(`hook answered ${probe.status}: ${JSON.stringify(answer)}`);
      if ((answer.cards?.length ?? 0) > 0 !== wantsCard) throw new Error(`${target.name}: expected ${wantsCard ? "a card" : "no card"}, got ${JSON.stringify(answer)}`);
      console.log(`${target.name}: ${answer.cards?.[0]?.summary ?? "no card"}`);
    }
    for (const target of Object.values(targets)) await run(target, 10, 300, body, privateKey);

    // Interleaved, so the four targets of one connection count see the same machine load; the
    // whole repeated `rounds` times, as this machine's speed drifts from minute to minute.
    const results: RunResult[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const connections of [10, 100]) {
        const amount = connections === 10 ? Math.ceil(hookRequests / 2) : hookRequests;
        for (const target of Object.values(targets)) results.push(await run(target, connections, target.path === HOOK_PATH ? amount : 3 * amount, body, privateKey, round));
      }
    }
    console.log(`\nround ${"target".padEnd(26)} conns  requests  seconds    req/s   p50 ms  p97.5 ms   p99 ms  CPU ms/req  failures`);
    for (const r of results) {
      console.log(
        `${String(r.round).padStart(5)} ${r.target.padEnd(26)} ${String(r.connections).padStart(5)} ${String(r.requests).padStart(9)} ${r.seconds.toFixed(2).padStart(8)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p975.toFixed(1).padStart(9)} ${r.p99.toFixed(1).padStart(8)} ${(r.cpuMsPerRequest?.toFixed(2) ?? "n/a").padStart(11)} ${String(r.failures).padStart(9)}`,
      );
    }
    const runsOf = (t: Target, connections: number) => results.filter((r) => r.target === t.name && r.connections === connections);
    /** A figure's median over the rounds; undefined when a round has none (no /proc). */
    const medianOf = (t: Target, connections: number, figure: (r: RunResult) => number | undefined): number | undefined => {
      const values = runsOf(t, connections).map(figure);
      return values.every((v) => v !== undefined) ? median(values as number[]) : undefined;
    };
    const pct = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
    console.log(`\nRatios to the floor (parse and validate only), each round's side by side; the verdict on the median of the ${rounds}:`);
    for (const connections of [10, 100]) {
      const floors = runsOf(targets.floor, connections);
      for (const [target, goal] of [[targets.card, 0.4], [targets.below, 0.55]] as const) {
        const hooks = runsOf(target, connections);
        const ratios = hooks.map((hook, i) => hook.rps / floors[i]!.rps);
        const cpuRatios = hooks.map((hook, i) => (hook.cpuMsPerRequest && floors[i]!.cpuMsPerRequest ? floors[i]!.cpuMsPerRequest! / hook.cpuMsPerRequest : undefined));
        const ratio = median(ratios);
        const cpu = cpuRatios.every((r) => r !== undefined)
          ? `; CPU ${medianOf(target, connections, (r) => r.cpuMsPerRequest)!.toFixed(2)} ms against ${medianOf(targets.floor, connections, (r) => r.cpuMsPerRequest)!.toFixed(2)} ms, ratio ${pct(median(cpuRatios as number[]))} (rounds ${(cpuRatios as number[]).map(pct).join(", ")})`
          : "";
        console.log(`  ${connections} connections, ${target.name}: throughput ${pct(ratio)} of the floor's (rounds ${ratios.map(pct).join(", ")}; target >= ${pct(goal)}): ${ratio >= goal ? "PASS" : "FAIL"}${cpu}`);
      }
    }
    console.log("\nService CPU per request (median of the rounds) against the stage table's sums (the rest: HTTP, Express and its middleware, garbage collection under load):");
    for (const connections of [10, 100]) {
      for (const [target, sum] of [[targets.floor, sums.floor], [targets.below, sums.below], [targets.card, sums.card]] as const) {
        const cpu = medianOf(target, connections, (r) => r.cpuMsPerRequest);
        if (cpu !== undefined) console.log(`  ${connections} connections, ${target.name.padEnd(26)} ${cpu.toFixed(2)} ms, stages ${sum.toFixed(2)} ms, rest ${(cpu - sum).toFixed(2)} ms`);
      }
    }
    printJwtArithmetic(targets, sums, runsOf);
    for (const target of [targets.card, targets.below]) {
      const p99 = medianOf(target, 10, (r) => r.p99)!;
      console.log(`p99 at 10 connections, ${target.name}: ${p99.toFixed(1)} ms, median of the rounds (${runsOf(target, 10).map((r) => r.p99.toFixed(1)).join(", ")}; target < 100 ms): ${p99 < 100 ? "PASS" : "FAIL"}`);
    }
    // Little's law: N requests always in flight at throughput X wait N / X on average.
    console.log(`\nLittle's law: p99 < 50 ms with 100 requests in flight needs more than ${100 / 0.05} req/s.`);
    const cores = availableParallelism();
    for (const target of Object.values(targets)) {
      const rps = medianOf(target, 100, (r) => r.rps)!;
      const cpu = medianOf(target, 100, (r) => r.cpuMsPerRequest);
      const ceiling = cpu ? `; at ${cpu.toFixed(2)} CPU ms/request, ${cores} cores allow at most ${((cores * 1000) / cpu).toFixed(0)} req/s` : "";
      console.log(`  ${target.name}: ${rps.toFixed(0)} req/s measured (median of the rounds), so a mean of ${((100 / rps) * 1000).toFixed(0)} ms in flight${ceiling}`);
    }
    if (results.some((r) => r.failures > 0)) console.log("WARNING: some requests failed (non-2xx, errors or timeouts)");
  } finally {
    await sink.stop();
    await unsigned.stop();
    await below.stop();
    await service.stop();
    jwks.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`bench:hook failed: ${(err as Error).message}`);
  process.exit(1);
});
