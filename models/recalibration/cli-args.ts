/** Command-line options of `npm run recalibrate` (see USAGE). */
import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../features/cli-args.ts";
import type { RecalibrationMethod } from "./recalibration-fit.ts";
import { MIN_ISOTONIC_CASES, MIN_LOGISTIC_CASES } from "./recalibration-fit.ts";

export const USAGE = `usage: npm run recalibrate -- --cohort DIR --out DIR [--model FILE] [--method intercept|logistic|isotonic]
                                 [--holdout SHARE] [--seed N] [--skip-bad-lines] [--help]

  --cohort DIR        the site's labelled FHIR data (NDJSON or Bundle directory); labels from truth.ndjson
                      when present, else from the index-date policy (population/README.md)
  --out DIR           where the recalibrated model (same file name as --model), recalibration-report.json,
                      recalibration-report.md and reliability.svg go; checked before any work; every file
                      owner-only (0600), and the folder when created (0700)
  --model FILE        the model to recalibrate (default models/deep-koa/deep-koa.onnx); its network is kept
  --method M          logistic (default): refit intercept and slope of logit(risk), only with at least
                      ${MIN_LOGISTIC_CASES} cases in the fit split; refused if the slope would reverse the order
                      of the risks. intercept: refit the intercept only, slope kept at 1 (for fewer cases).
                      isotonic: a monotone step function, only with at least ${MIN_ISOTONIC_CASES} cases in the fit split
  --holdout SHARE     share of patients held out from the fit to evaluate before and after (default 0.3)
  --seed N            seed of the patient split (default 1)
  --skip-bad-lines    count and skip lines (and Bundle files) that are not FHIR JSON instead of stopping
  --help, -h          print this text`;

export const RECALIBRATE_OPTIONS = {
  cohort: { type: "string" },
  out: { type: "string" },
  model: { type: "string" },
  method: { type: "string" },
  holdout: { type: "string" },
  seed: { type: "string" },
  "skip-bad-lines": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export interface RecalibrateArgs {
  cohort: string;
  out: string;
  model: string;
  method: RecalibrationMethod;
  holdoutShare: number;
  seed: number;
  skipBadLines: boolean;
}

/** The folder a path names, links resolved (a link to the model's folder is that folder); as
 * written when it does not exist yet. */
function realPath(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}

export function parseRecalibrateArgs(argv: string[]): RecalibrateArgs {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: RECALIBRATE_OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.cohort === undefined || values.out === undefined) throw new UsageError("--cohort and --out are required");
  const model = values.model ?? "models/deep-koa/deep-koa.onnx";
  if (!existsSync(model)) throw new UsageError(`model file not found: ${model}`);
  // The recalibrated model takes the original's file name in --out.
  // The folder the model file really is in: a link to the model is the model.
  if (realPath(values.out) === path.dirname(realPath(model))) throw new UsageError("--out must not be the model's own directory (the original would be overwritten)");
  const method = values.method ?? "logistic";
  if (method !== "intercept" && method !== "logistic" && method !== "isotonic") throw new UsageError(`--method must be intercept, logistic or isotonic, got "${method}"`);
  const holdoutShare = Number(values.holdout ?? "0.3");
  if (!(holdoutShare > 0 && holdoutShare < 1)) throw new UsageError(`--holdout must be a number between 0 and 1, got "${values.holdout}"`);
  const seedText = values.seed ?? "1";
  if (!/^\d+$/.test(seedText)) throw new UsageError(`--seed must be a non-negative integer, got "${seedText}"`);
  return { cohort: values.cohort, out: values.out, model, method, holdoutShare, seed: Number(seedText), skipBadLines: values["skip-bad-lines"] === true };
}
