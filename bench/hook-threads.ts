/**
 * `npx tsx bench/hook-threads.ts [--requests N] [--rounds N] [--workers N] [--node-flags "..."] [--only card,below,floor]`:
 * a narrower companion of `npm run bench:hook` for the CPU of one call. Same body, tokens and
 * production entry point, but only 10 connections, several interleaved rounds of the three
 * targets (card, below the tier, floor), and the services' CPU per request split by thread
 * (/proc/PID/task/TID: the event loop, V8's GC helpers, libuv's pool where WebCrypto verifies,
 * onnxruntime's threads), each target's median over the rounds. The CPU profile sees only the
 * event loop; this shows what the other threads add. `--node-flags` go to the service processes
 * (e.g. "--max-semi-space-size=32").
 */
import autocannon from "autocannon";
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exportJWK, generateKeyPair } from "jose";
import { startBenchService } from "./hook-service.ts";
import { HOOK_PATH, hookBody, ISSUER, PUBLIC_BASE_URL, realisticPrefetch, signTokens, startJwks } from "./hook-prefetch.ts";
import { benchArgs } from "./bench-args.ts";

/** Non-JSON lines of the services' stdout (--trace-gc) go here when set. */
const traceOut = process.env.HOOK_THREADS_TRACE;
/** Writes a service's non-JSON lines to traceOut, each after the service's minimum tier. */
const trace = (minTier: string) => (traceOut === undefined ? undefined : (line: string) => appendFileSync(traceOut, `${minTier} ${line}\n`));

/** The cached body's file, named after the code that makes it (the simulator and
 * hook-prefetch.ts), so a change to either makes a new body instead of reusing a stale one. */
function bodyCachePath(): string {
  const hash = createHash("sha256");
  const cohort = fileURLToPath(new URL("../models/cohort/", import.meta.url));
  const sources = [
    ...readdirSync(cohort).filter((f) => f.endsWith(".ts")).sort().map((f) => join(cohort, f)),
    fileURLToPath(new URL("./hook-prefetch.ts", import.meta.url)),
  ];
  for (const file of sources) hash.update(readFileSync(file));
  return join(tmpdir(), `patella-bench-hook-body-${hash.digest("hex").slice(0, 16)}.json`);
}

const args = benchArgs(import.meta.url, {
  command: "npx tsx bench/hook-threads.ts",
  options: { requests: { value: "N" }, rounds: { value: "N" }, workers: { value: "N" }, "node-flags": { value: '"..."' }, only: { value: "card,below,floor" } },
});

/** The bench's patient (hook-prefetch.ts, as bench/hook.ts uses it), cached between runs. */
async function body(): Promise<string> {
  const cache = bodyCachePath();
  if (existsSync(cache)) return readFileSync(cache, "utf8");
  const { prefetch, patientId } = await realisticPrefetch(4000);
  const text = hookBody(prefetch, patientId);
  writeFileSync(cache, text);
  return text;
}

/** CPU ticks of a process's children (the workers), by thread kind. */
function threadTicks(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${p}/stat`, "utf8");
    } catch {
      continue;
    }
    if (stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1] !== String(pid)) continue;
    const tids = readdirSync(`/proc/${p}/task`).sort((a, b) => Number(a) - Number(b));
    for (const [index, t] of tids.entries()) {
      try {
        const s = readFileSync(`/proc/${p}/task/${t}/stat`, "utf8");
        const name = s.slice(s.indexOf("(") + 1, s.lastIndexOf(")"));
        const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
        const kind = t === p ? "event loop" : /V8/.test(name) ? "V8 helpers (GC)" : /libuv/.test(name) ? "libuv pool (WebCrypto)" : `${name} thread ${index}`;
        out.set(kind, (out.get(kind) ?? 0) + Number(f[11]) + Number(f[12]));
      } catch {
        /* exited */
      }
    }
  }
  return out;
}

async function load(url: string, n: number, text: string, signed: string[] | undefined): Promise<{ p99: number }> {
  let next = 0;
  const latencies: number[] = [];
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: 10,
        amount: n,
        timeout: 30,
        requests: [
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: text,
            ...(signed ? { setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${signed[next++ % signed.length]}` } }) } : {}),
          },
        ],
      },
      (err, done) => (err ? reject(err) : done.non2xx > 0 ? reject(new Error(`${url}: ${done.non2xx} non-2xx answers`)) : resolve()),
    );
    instance.on("response", (_c, _s, _b, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  return { p99: latencies[Math.ceil(0.99 * latencies.length) - 1]! };
}

async function main(): Promise<void> {
  const n = args.wholeNumber("requests", 600);
  const rounds = args.wholeNumber("rounds", 3);
  const workers = args.wholeNumber("workers", 2);
  const nodeFlags = (args.values["node-flags"] ?? "").split(" ").filter(Boolean);
  const text = await body();
  const { publicKey, privateKey } = await generateKeyPair("ES384");
  const jwks = await startJwks({ keys: [{ ...(await exportJWK(publicKey)), kid: "bench-1", alg: "ES384", use: "sig" }] });
  const dir = mkdtempSync(join(tmpdir(), "patella-hook-threads-"));
  const config = (sub: string, minTier: string) => ({
    port: 0,
    workers,
    publicBaseUrl: PUBLIC_BASE_URL,
    issuers: [{ iss: ISSUER, jwksUrl: jwks.url }],
    jwt: { replayCachePath: join(dir, `${sub}-replay.sqlite`) },
    limits: { rateLimitPerWindow: 10_000_000, bodyLimit: "10mb" },
    cards: { minTier, indexDate: "2026-01-01" },
    feedback: { dbPath: join(dir, `${sub}-feedback.sqlite`) },
    benchFloorEndpoint: true,
    logLevel: "info",
  });
  const card = await startBenchService(config("card", "low"), dir, { nodeFlags, onOtherLine: trace("low") });
  const below = await startBenchService(config("below", "high"), dir, { nodeFlags, onOtherLine: trace("high") });
  const targets = [
    { name: "card", service: card, path: HOOK_PATH, signed: true },
    { name: "below", service: below, path: HOOK_PATH, signed: true },
    { name: "floor", service: card, path: "/bench/floor", signed: false },
  ];
  if (args.values.only !== undefined) {
    const only = args.values.only.split(",");
    targets.splice(0, targets.length, ...targets.filter((t) => only.includes(t.name)));
  }
  const results = new Map<string, { total: number[]; byKind: Map<string, number[]>; p99: number[] }>();
  try {
    for (const t of targets) await load(t.service.url + t.path, 200, text, t.signed ? await signTokens(privateKey, 200) : undefined);
    for (let round = 0; round < rounds; round++) {
      for (const t of targets) {
        const signed = t.signed ? await signTokens(privateKey, n) : undefined;
        const before = threadTicks(t.service.pid);
        const { p99 } = await load(t.service.url + t.path, n, text, signed);
        const after = threadTicks(t.service.pid);
        const r = results.get(t.name) ?? { total: [] as number[], byKind: new Map<string, number[]>(), p99: [] as number[] };
        let total = 0;
        for (const [kind, ticks] of after) {
          const ms = ((ticks - (before.get(kind) ?? 0)) * 10) / n;
          total += ms;
          r.byKind.set(kind, [...(r.byKind.get(kind) ?? []), ms]);
        }
        r.total.push(total);
        r.p99.push(p99);
        results.set(t.name, r);
        console.log(`round ${round + 1} ${t.name.padEnd(6)} ${total.toFixed(2)} CPU ms/req, p99 ${p99.toFixed(0)} ms`);
      }
    }
  } finally {
    await card.stop();
    await below.stop();
    jwks.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`\nmedians over ${rounds} rounds of ${n} requests at 10 connections, ${workers} worker(s) per service${nodeFlags.length ? `, node ${nodeFlags.join(" ")}` : ""}:`);
  for (const [name, r] of results) {
    const kinds = [...r.byKind].map(([k, v]) => [k, median(v)] as const).filter(([, v]) => v >= 0.05).sort((a, b) => b[1] - a[1]);
    console.log(`  ${name.padEnd(6)} ${median(r.total).toFixed(2)} ms/req (p99 ${median(r.p99).toFixed(0)} ms): ${kinds.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ")}`);
  }
  const m = (name: string) => median(results.get(name)!.total);
  if (["card", "below", "floor"].every((name) => results.has(name))) console.log(`  CPU ratio floor/card ${((100 * m("floor")) / m("card")).toFixed(0)}%, floor/below ${((100 * m("floor")) / m("below")).toFixed(0)}%`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
