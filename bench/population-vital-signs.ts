/**
 * npm run bench:population-vital-signs [-- --observations N] [--workers W] [--unordered]
 *
 * One patient with every vital sign of a long ICU stay: a simulated patient (npm run cohort, one
 * patient) plus N heart-rate Observations (default 400,000, about 190 MB of NDJSON; one a minute
 * for nine months), scored by `npm run population`. None of them is model input
 * (shared/model-input.ts), so the record keeps none; the figure is the process's peak RSS, with
 * its scoring threads, against the population job's target (< 1 GB), and the run's time.
 *
 * The heart rates go after the cohort's own Observations in Observation.ndjson, the order the
 * merge join streams. --unordered writes the same lines into Patient.ndjson after the Patient
 * line instead: a Patient file holding another type is not ordered by patient
 * (population/ndjson-merge-join.ts), so the job regroups and reads the population through the
 * SQLite spill (population/ndjson-sqlite-spill.ts). The grouping the run used is printed, from
 * its summary.html.
 */
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { once } from "node:events";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scorePopulation } from "./score-population.ts";
import { benchArgs } from "./bench-args.ts";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const args = benchArgs(import.meta.url, {
  command: "npm run bench:population-vital-signs --",
  options: { observations: { value: "N" }, workers: { value: "W" }, unordered: { flag: true } },
});
const observations = args.wholeNumber("observations", 400_000);
const workers = args.wholeNumber("workers", availableParallelism());
const heartRatesFile = args.values.unordered === true ? "Patient.ndjson" : "Observation.ndjson";

/** Heart rates of `patientId`, one a minute from 2024-01-01, appended as NDJSON lines. */
async function writeHeartRates(file: string, patientId: string): Promise<void> {
  const out = createWriteStream(file, { flags: "a" });
  for (let i = 0; i < observations; i++) {
    const line = JSON.stringify({
      resourceType: "Observation",
      id: `hr${i}`,
      status: "final",
      category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "vital-signs" }] }],
      code: { coding: [{ system: "http://loinc.org", code: "8867-4", display: "Heart rate" }] },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
      valueQuantity: { value: 60 + (i % 40), unit: "/min", system: "http://unitsofmeasure.org", code: "/min" },
    });
    if (!out.write(`${line}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

const work = mkdtempSync(join(tmpdir(), "patella-bench-vital-signs-"));
try {
  const input = join(work, "in");
  execFileSync("npm", ["run", "-s", "cohort", "--", "--patients", "1", "--seed", "7", "--out", input], { cwd: REPO, stdio: "ignore" });
  const patientId = (JSON.parse(readFileSync(join(input, "Patient.ndjson"), "utf8")) as { id: string }).id;
  await writeHeartRates(join(input, heartRatesFile), patientId);
  const before = process.resourceUsage().maxRSS / 1024;
  const result = await scorePopulation(input, join(work, "out"), workers);
  const peakRss = process.resourceUsage().maxRSS / 1024;
  const grouping = /grouped by ([a-z-]+)/.exec(readFileSync(join(work, "out", "summary.html"), "utf8"))?.[1] ?? "unknown";
  console.log(`one patient with ${observations.toLocaleString("en")} heart rates in ${heartRatesFile}: scored ${result.scored} in ${(result.seconds + result.outputSeconds).toFixed(1)} s (${workers} scoring threads, grouped by ${grouping})`);
  console.log(`peak RSS of the process: ${peakRss.toFixed(0)} MB (${before.toFixed(0)} MB before the run; target < 1024 MB)`);
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
