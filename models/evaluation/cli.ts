/**
 * npm run evaluate: scores a cohort with the committed ONNX models through the shared inference
 * code (onnxruntime-node) and writes evaluation-report.json, evaluation-report.md and
 * reliability.svg. Usage in cli-args.ts; the committed reports' commands in committed-reports.ts.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { withOutLockLeavingNoTrace } from "../../population/job/out-lock.ts";
import { clearLeftoverPartials, replaceFilesOwnerOnly } from "../../population/replace-files.ts";
import { type RiskModel, loadRiskModel } from "../../shared/inference/index.ts";
import { buildReport } from "./build-report.ts";
import { type EvaluateArgs, USAGE, UsageError, parseEvaluateArgs } from "./cli-args.ts";
import { collectPredictions } from "./collect-predictions.ts";
import { inputNotes } from "./input-notes.ts";
import { checkOutputFolder, isMainModule, wantsHelp } from "../features/cli-args.ts";
import { openScratchFolder } from "../features/scratch-folder.ts";
import { markdownReport } from "./markdown-report.ts";
import { reliabilitySvg } from "./reliability-svg.ts";
import { simulateCohortTo } from "./simulate-cohort.ts";

const PLOT_FILE = "reliability.svg";
/** The reports, in the order they are written (replaced together: population/replace-files.ts). */
const REPORT_FILES = ["evaluation-report.json", PLOT_FILE, "evaluation-report.md"] as const;

/** Simulates a fresh cohort into `dir` (in the run's scratch folder, removed when the evaluation ends). */
async function simulateCohort(dir: string, simulate: EvaluateArgs["simulate"]): Promise<void> {
  console.error(`evaluate: simulating ${simulate.patients} patients, seed ${simulate.seed}`);
  await simulateCohortTo(dir, simulate.patients, simulate.seed);
}

function checkDistinctNames(models: readonly RiskModel[], files: readonly string[]): void {
  const seen = new Map<string, string>();
  models.forEach((m, i) => {
    const other = seen.get(m.info.name);
    if (other !== undefined) throw new UsageError(`${files[i]} and ${other} both call themselves "${m.info.name}"`);
    seen.set(m.info.name, files[i] as string);
  });
}

async function main(argv: string[]): Promise<void> {
  if (wantsHelp(argv)) {
    console.log(USAGE);
    return;
  }
  const args = parseEvaluateArgs(argv);
  checkOutputFolder("--out", args.out);
  // One run at a time on an --out, with the population job's lock (OUT/run.lock): a second run
  // took the first's unfinished reports for a killed run's and removed them, and the two replaced
  // each other's reports. Taken before anything in --out is read or removed; the lock file, and the
  // --out when no report was written there, go when the run ends (the reports' folder is
  // committed, and a failed run must leave no folder behind).
  await withOutLockLeavingNoTrace(args.out, () => evaluateInto(args));
}

async function evaluateInto(args: EvaluateArgs): Promise<void> {
  // What a run killed while writing its reports left: gone at once, not only once this run writes.
  clearLeftoverPartials("evaluate", args.out, REPORT_FILES);
  const models: RiskModel[] = [];
  for (const file of args.models) {
    try {
      models.push(await loadRiskModel(ort, new Uint8Array(await readFile(file))));
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
  }
  checkDistinctNames(models, args.models);
  // The simulated cohort, the spill and the truth store go in a folder of this run's; what killed
  // runs left is removed.
  const scratch = openScratchFolder("evaluate");
  try {
    const cohort = args.cohort ?? path.join(scratch.path, "cohort");
    if (args.cohort === null) await simulateCohort(cohort, args.simulate);
    const started = Date.now();
    const collected = await collectPredictions(cohort, models, {
      ...(args.maxPatients === undefined ? {} : { maxPatients: args.maxPatients }),
      skipBadLines: args.skipBadLines,
      tempDir: scratch.path,
      onProgress: (n) => console.error(`evaluate: ${n} patients scored`),
    });
    if (collected.table.labels.length === 0) {
      const ignored = collected.population.ignoredFiles.map((f) => `${f.file} (${f.reason})`).join(", ") || "none";
      throw new Error(`${cohort}: no eligible index dates to evaluate (${collected.patients} patients read; files not read as FHIR: ${ignored})`);
    }
    const report = buildReport({
      // The folder's name only: the report is committed, and the path is the machine's, not the data's.
      directory: args.cohort ? path.basename(path.resolve(args.cohort)) : `simulated: --patients ${args.simulate.patients} --seed ${args.simulate.seed}`,
      collected,
      models: models.map((m, i) => ({ ...m.info, file: path.basename(args.models[i] as string) })),
    });
    // Owner-only, as the population job writes even its aggregate summary.html: a site's figures on
    // its own patients (subgroups of a few, skipped lines by file:line) are its data. The --out the
    // lock made is 0700; one that exists keeps its mode (population/owner-only-files.ts). Replaced
    // together: a run that fails while writing them leaves an earlier run's reports as they were,
    // not a mix of the two.
    const reliability = Object.fromEntries(Object.entries(report.overall).map(([name, m]) => [name, m.reliability]));
    const [json, plot, markdown] = REPORT_FILES;
    replaceFilesOwnerOnly(args.out, [
      [json, JSON.stringify(report, null, 2) + "\n"],
      [plot, reliabilitySvg(reliability, "Reliability: observed vs predicted 1-year knee OA risk")],
      [markdown, markdownReport(report, PLOT_FILE)],
    ]);
    const primary = report.overall[report.primaryModel];
    const calibration = report.targets.calibration;
    const fixed = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? "n/a" : v.toFixed(digits));
    for (const line of inputNotes(report)) console.log(`evaluate: ${line}`);
    console.log(
      `evaluate: ${report.cohort.scoredRows} rows, ${report.cohort.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${report.primaryModel} AUROC ${fixed(primary?.auroc?.estimate, 3)}, O/E ${fixed(calibration.observedExpected, 2)}, ` +
        `slope ${fixed(calibration.slope, 2)}: calibration ${calibration.acceptable === true ? "acceptable" : calibration.acceptable === false ? "NOT acceptable" : "not assessable"}; ` +
        `reports in ${args.out}`,
    );
  } finally {
    await Promise.all(models.map((m) => m.release()));
    scratch.remove();
  }
}

/** Runs the evaluation with `argv`; a failure prints its message (and the usage) and exits 1 (2 for usage). */
export function runEvaluate(argv: string[]): Promise<void> {
  return main(argv).catch((err: unknown) => {
    const usage = err instanceof UsageError;
    console.error(`evaluate: ${(err as Error).message}${usage ? `\n${USAGE}` : ""}`);
    process.exit(usage ? 2 : 1);
  });
}

if (isMainModule(import.meta.url)) await runEvaluate(process.argv.slice(2));
