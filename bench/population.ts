/**
 * npm run bench:population [-- --patients N] [--seed S] [--dir DIR] [--workers W]
 *
 * Simulates a cohort with the cohort simulator (once: kept in DIR, default
 * /tmp/patella-bench-population-N-seedS, written under a .partial name and renamed when
 * complete, so an interrupted simulation is never taken for a finished one), then, on the same files:
 *  1. the floor: read every line of every NDJSON file and JSON.parse it, nothing else;
 *  2. the scoring run of `npm run population` (reading, grouping, features, model, drivers,
 *     checkpoint, outputs), one scoring thread per core.
 * Prints patients/s for both, their ratio (target >= 0.5) and the process's peak RSS, which
 * includes the scoring threads (target < 1 GB). Also the CPU time per patient of each (all
 * threads of the process), which a loaded machine changes much less than the rates.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scorePopulation } from "./score-population.ts";
import { readNdjsonLines } from "../population/ndjson-lines.ts";
import { benchArgs } from "./bench-args.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const args = benchArgs(import.meta.url, {
  command: "npm run bench:population --",
  options: { patients: { value: "N" }, seed: { value: "S" }, dir: { value: "DIR" }, workers: { value: "W" } },
});
const patients = args.wholeNumber("patients", 100_000);
const seed = args.wholeNumber("seed", 2026, 0);
const dir = args.values.dir ?? join(tmpdir(), `patella-bench-population-${patients}-seed${seed}`);
const workers = args.wholeNumber("workers", availableParallelism());

if (!existsSync(join(dir, "Patient.ndjson"))) {
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  console.log(`simulating ${patients} patients (seed ${seed}) into ${dir} (npm run cohort) ...`);
  const started = performance.now();
  execFileSync("npm", ["run", "-s", "cohort", "--", "--patients", String(patients), "--seed", String(seed), "--out", partial], { cwd: REPO, stdio: "inherit" });
  renameSync(partial, dir);
  console.log(`simulation took ${((performance.now() - started) / 1000).toFixed(0)} s (kept for the next run)`);
} else {
  console.log(`using the cohort simulated earlier in ${dir}`);
}

/** CPU milliseconds of every thread of this process since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function floor(): Promise<{ seconds: number; lines: number }> {
  const started = performance.now();
  let lines = 0;
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".ndjson") && n !== "truth.ndjson")) {
    for await (const { text } of readNdjsonLines(join(dir, name))) {
      JSON.parse(text);
      lines += 1;
    }
  }
  return { seconds: (performance.now() - started) / 1000, lines };
}

const out = mkdtempSync(join(tmpdir(), "patella-bench-population-out-"));
try {
  let cpu = process.cpuUsage();
  const base = await floor();
  const baseRate = patients / base.seconds;
  const baseCpu = cpuMs(cpu) / patients;
  console.log(`floor (read + JSON.parse): ${base.lines} lines in ${base.seconds.toFixed(1)} s, ${Math.round(baseRate)} patients/s, ${baseCpu.toFixed(2)} CPU ms per patient`);
  cpu = process.cpuUsage();
  const result = await scorePopulation(dir, out, workers);
  // The whole job, as before: scoring, then writing the outputs (reported apart since 2026-11-30).
  const seconds = result.seconds + result.outputSeconds;
  const rate = result.patients / seconds;
  const runCpu = cpuMs(cpu) / result.patients;
  const peakRss = process.resourceUsage().maxRSS / 1024;
  console.log(
    `scoring run (${workers} scoring threads): ${result.patients} patients (${result.scored} scored) in ${seconds.toFixed(1)} s (outputs ${result.outputSeconds.toFixed(1)} s of it), ${Math.round(rate)} patients/s, ${runCpu.toFixed(2)} CPU ms per patient (all threads)`,
  );
  console.log(`ratio scoring / floor: ${(rate / baseRate).toFixed(2)} (target >= 0.5)`);
  console.log(`peak RSS of the process (floor, then scoring with its threads): ${peakRss.toFixed(0)} MB (target < 1024 MB)`);
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
