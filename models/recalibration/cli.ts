/**
 * npm run recalibrate: refits the calibration of a model on a site's labelled FHIR data, keeps
 * the network, writes the recalibrated ONNX with its provenance, and reports calibration before
 * and after on patients the fit did not see. Usage in cli-args.ts.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { withOutLockLeavingNoTrace } from "../../population/job/out-lock.ts";
import { clearLeftoverPartials, replaceFilesOwnerOnly } from "../../population/replace-files.ts";
import { type RiskModel, loadRiskModel } from "../../shared/inference/index.ts";
import { collectPredictions } from "../evaluation/collect-predictions.ts";
import { inputNotes } from "../evaluation/input-notes.ts";
import { MetricInputError } from "../evaluation/metrics/types.ts";
import { reliabilitySvg } from "../evaluation/reliability-svg.ts";
import { checkOutputFolder, UsageError, wantsHelp } from "../features/cli-args.ts";
import { openScratchFolder } from "../features/scratch-folder.ts";
import { type RecalibrateArgs, USAGE, parseRecalibrateArgs } from "./cli-args.ts";
import { recalibrate } from "./recalibrate.ts";
import { applyRecalibration } from "./recalibration-fit.ts";
import { recalibrationMarkdown, recalibrationReport } from "./recalibration-report.ts";
import { recalibrationMetadata, writeRecalibratedModel } from "./write-model.ts";

const PLOT_FILE = "reliability.svg";
/** The reports, in the order they are written (replaced together: population/replace-files.ts). */
const REPORT_FILES = ["recalibration-report.json", PLOT_FILE, "recalibration-report.md"] as const;
/** Patients re-scored with the written model to check it computes what the fit says. */
const PARITY_PATIENTS = 200;

/** The written ONNX must give the recalibration of the original's risks (float32 in the graph). */
async function checkParity(cohort: string, original: RiskModel, written: RiskModel, apply: (p: number) => number, read: { skipBadLines: boolean; tempDir: string }): Promise<number> {
  const both = await collectPredictions(cohort, [original, { ...written, info: { ...written.info, name: "recalibrated" } }], { maxPatients: PARITY_PATIENTS, ...read });
  const before = both.table.scores[original.info.name] ?? [];
  const after = both.table.scores["recalibrated"] ?? [];
  const worst = before.reduce((m, p, i) => Math.max(m, Math.abs(apply(p) - (after[i] as number))), 0);
  if (!(worst < 1e-5)) throw new Error(`the written model differs from the fitted recalibration by ${worst}`);
  return worst;
}

async function main(argv: string[]): Promise<void> {
  if (wantsHelp(argv)) {
    console.log(USAGE);
    return;
  }
  const args = parseRecalibrateArgs(argv);
  checkOutputFolder("--out", args.out);
  // One run at a time on an --out, with the population job's lock (OUT/run.lock), as evaluate: a
  // second run took the first's unfinished model and reports for a killed run's and removed
  // them. Taken before anything in --out is removed; the lock file, and an --out the run made
  // but wrote nothing to, go when it ends.
  await withOutLockLeavingNoTrace(args.out, () => recalibrateInto(args));
}

async function recalibrateInto(args: RecalibrateArgs): Promise<void> {
  // What a run killed while writing the model (write-model.ts) or the reports left.
  clearLeftoverPartials("recalibrate", args.out, [path.basename(args.model), ...REPORT_FILES]);
  const bytes = new Uint8Array(await readFile(args.model));
  const model = await loadRiskModel(ort, bytes);
  let written: RiskModel | null = null;
  // The spill and the truth store go in a folder of this run's; what killed runs left is removed.
  const scratch = openScratchFolder("recalibrate");
  const read = { skipBadLines: args.skipBadLines, tempDir: scratch.path };
  try {
    const collected = await collectPredictions(args.cohort, [model], {
      ...read,
      onProgress: (n) => console.error(`recalibrate: ${n} patients scored`),
    });
    let result;
    try {
      result = recalibrate(collected.table, model.info.name, args);
    } catch (err) {
      if (err instanceof MetricInputError) throw new Error(`${args.cohort}: cannot recalibrate: ${err.message}`);
      throw err;
    }
    const now = new Date();
    const file = path.basename(args.model);
    const target = path.join(args.out, file);
    // Owner-only, as the population job writes its outputs: a model and figures fitted on a site's
    // own patients are its data. The --out the lock made is 0700; one that exists keeps its mode
    // (population/owner-only-files.ts).
    const metadata = recalibrationMetadata(model.info, bytes, result.recalibration, { cohort: path.basename(path.resolve(args.cohort)), fit: result.fit, at: now });
    writeRecalibratedModel(args.model, target, result.recalibration, metadata);
    written = await loadRiskModel(ort, new Uint8Array(await readFile(target)));
    const worst = await checkParity(args.cohort, model, written, (p) => applyRecalibration(result.recalibration, p), read);
    const report = recalibrationReport(
      collected,
      result,
      { name: model.info.name, version: model.info.version, file, recalibratedVersion: written.info.version, recalibratedFile: file },
      { method: args.method, holdoutShare: args.holdoutShare, seed: args.seed },
      now,
    );
    // Together, as evaluate writes its reports: a failure leaves the earlier ones whole.
    const [json, plot, markdown] = REPORT_FILES;
    replaceFilesOwnerOnly(args.out, [
      [json, JSON.stringify(report, null, 2) + "\n"],
      [plot, reliabilitySvg({ before: result.holdout.before.reliability, after: result.holdout.after.reliability }, "Held-out patients: before and after recalibration")],
      [markdown, recalibrationMarkdown(report, PLOT_FILE)],
    ]);
    const h = result.holdout;
    const fixed = (v: number | null) => (v === null ? "n/a" : v.toFixed(2));
    for (const line of inputNotes(report)) console.log(`recalibrate: ${line}`);
    console.log(
      `recalibrate: ${args.method} fit on ${result.fit.patients} patients (${result.fit.cases} cases); held out ${h.patients} patients (${h.cases} cases): ` +
        `O/E ${fixed(h.verdictBefore.observedExpected)} -> ${fixed(h.verdictAfter.observedExpected)}, slope ${fixed(h.verdictBefore.slope)} -> ${fixed(h.verdictAfter.slope)}, ` +
        `AUROC ${fixed(h.before.auroc?.estimate ?? null)} -> ${fixed(h.after.auroc?.estimate ?? null)}; model parity ${worst.toExponential(1)}; wrote ${target} and reports in ${args.out}`,
    );
  } finally {
    scratch.remove();
    await model.release();
    await written?.release();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage = err instanceof UsageError;
  console.error(`recalibrate: ${(err as Error).message}${usage ? `\n${USAGE}` : ""}`);
  process.exit(usage ? 2 : 1);
});
