/**
 * The shipped Deep-KOA's risks far above the tiers, measured apart from the evaluation report,
 * whose top reliability bin holds every prediction from under 1% up and so cannot say whether a
 * risk of 30% or 90% is supported. On a fresh simulated cohort it puts the rows predicted at 5% or
 * more in bands and gives each band's mean predicted risk, observed rate and mean true risk (the
 * simulator's). Its output, models/evaluation/reports/high-risk-bands-seed11.json, is the model
 * card's "Risks far above the tiers" table (test/models/model-card-figures.test.ts ties them).
 *
 *   npx tsx models/evaluation/high-risk-bands.ts    (20,000 patients, seed 11; under 1.5 minutes on 2 cores)
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { loadRiskModel } from "../../shared/inference/index.ts";
import { UsageError, runMain } from "../features/cli-args.ts";
import { openScratchFolder } from "../features/scratch-folder.ts";
import { SHIPPED_REPORTS } from "./cli-args.ts";
import { collectPredictions } from "./collect-predictions.ts";
import { ORACLE } from "./prediction-table.ts";
import { highRiskBands } from "./risk-bands.ts";
import { simulateCohortTo } from "./simulate-cohort.ts";

const COHORT = { patients: 20_000, seed: 11 } as const;
const MODEL_FILE = "models/deep-koa/deep-koa.onnx";
const OUTPUT = path.join(SHIPPED_REPORTS, `high-risk-bands-seed${COHORT.seed}.json`);
const USAGE = `usage: npx tsx models/evaluation/high-risk-bands.ts   (no options: ${COHORT.patients} patients, seed ${COHORT.seed}; writes ${OUTPUT})`;

async function main(): Promise<void> {
  if (process.argv.length > 2) throw new UsageError(`high-risk-bands takes no options, got ${process.argv.slice(2).join(" ")}`);
  const model = await loadRiskModel(ort, new Uint8Array(await readFile(MODEL_FILE)));
  const scratch = openScratchFolder("high-risk-bands");
  try {
    const cohort = path.join(scratch.path, "cohort");
    console.error(`high-risk-bands: simulating ${COHORT.patients} patients, seed ${COHORT.seed}`);
    await simulateCohortTo(cohort, COHORT.patients, COHORT.seed);
    const { table } = await collectPredictions(cohort, [model], { tempDir: scratch.path });
    const bands = highRiskBands(table.scores[model.info.name] ?? [], table.labels, table.scores[ORACLE] ?? []);
    const report = {
      command: "npx tsx models/evaluation/high-risk-bands.ts",
      cohort: { simulated: `--patients ${COHORT.patients} --seed ${COHORT.seed}`, rows: table.labels.length },
      model: { name: model.info.name, version: model.info.version, trainedAt: model.info.trainedAt },
      bands,
    };
    await writeFile(OUTPUT, JSON.stringify(report, null, 2) + "\n");
    console.log(`high-risk-bands: ${table.labels.length} rows; wrote ${OUTPUT}`);
  } finally {
    scratch.remove();
    await model.release();
  }
}

runMain(USAGE, main);
