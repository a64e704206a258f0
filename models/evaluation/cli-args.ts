/** Command-line options of `npm run evaluate` (see USAGE). */
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../features/cli-args.ts";

export const USAGE = `usage: npm run evaluate -- [--cohort DIR | --patients N --seed S] [--model FILE ...] [--out DIR]
                              [--max-patients N] [--skip-bad-lines] [--help]

  --cohort DIR        FHIR NDJSON or Bundle directory; labels from truth.ndjson when present,
                      else from the index-date policy (population/README.md)
  --patients N, --seed S
                      without --cohort: simulate a fresh cohort (default 50000 patients, seed 1001,
                      a seed training does not use) in a temporary directory
  --model FILE        ONNX model(s); the first is the primary model. Default: models/deep-koa/deep-koa.onnx.
                      Baselines (baseline-aggregated-lr.onnx, baseline-age-sex-lr.onnx) next to a single
                      --model are added automatically
  --out DIR           where evaluation-report.json, evaluation-report.md and reliability.svg go. Default:
                      for the shipped model, models/evaluation/reports/NAME (NAME = the cohort directory's
                      name, or simulated-seedS, with -nN added when N is not 50000), where the model card
                      says its reports live; for any other model, the model's directory. Checked before
                      any work; the reports are owner-only (0600), and so is the folder when created (0700)
  --max-patients N    stop after N patients (a quick look; the report then covers only them)
  --skip-bad-lines    count and skip lines (and Bundle files) that are not FHIR JSON instead of stopping
                      at the first one; the report lists them
  --help, -h          print this text`;

/** Every option; USAGE explains each one (a test checks). */
export const EVALUATE_OPTIONS = {
  cohort: { type: "string" },
  patients: { type: "string" },
  seed: { type: "string" },
  model: { type: "string", multiple: true },
  out: { type: "string" },
  "max-patients": { type: "string" },
  "skip-bad-lines": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export const BASELINE_FILES = ["baseline-aggregated-lr.onnx", "baseline-age-sex-lr.onnx"];
const DEFAULT_MODEL = "models/deep-koa/deep-koa.onnx";
/** Where the shipped model's reports live (models/deep-koa/MODEL_CARD.md, "Where the reports live"). */
export const SHIPPED_REPORTS = "models/evaluation/reports";
const DEFAULT_PATIENTS = 50000;

export interface EvaluateArgs {
  cohort: string | null;
  simulate: { patients: number; seed: number };
  models: string[];
  out: string;
  maxPatients?: number;
  skipBadLines: boolean;
}

export { UsageError };

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

/** The shipped model's reports go to SHIPPED_REPORTS/NAME; any other model's next to it. */
function defaultOut(primary: string, cohort: string | null, simulate: EvaluateArgs["simulate"]): string {
  if (path.resolve(primary) !== path.resolve(DEFAULT_MODEL)) return path.dirname(primary);
  const name =
    cohort !== null
      ? path.basename(path.resolve(cohort))
      : `simulated-seed${simulate.seed}${simulate.patients === DEFAULT_PATIENTS ? "" : `-n${simulate.patients}`}`;
  return path.join(SHIPPED_REPORTS, name);
}

export function parseEvaluateArgs(argv: string[]): EvaluateArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: EVALUATE_OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.cohort !== undefined && (values.patients !== undefined || values.seed !== undefined)) {
    throw new UsageError("give either --cohort or --patients/--seed, not both");
  }
  const explicit = values.model ?? [];
  const models = explicit.length > 0 ? [...explicit] : [DEFAULT_MODEL];
  if (models.length === 1) {
    const dir = path.dirname(models[0] as string);
    for (const file of BASELINE_FILES) {
      const candidate = path.join(dir, file);
      if (existsSync(candidate) && path.resolve(candidate) !== path.resolve(models[0] as string)) models.push(candidate);
    }
  }
  for (const model of models) if (!existsSync(model)) throw new UsageError(`model file not found: ${model}`);
  const simulate = { patients: positiveInt("patients", values.patients, DEFAULT_PATIENTS), seed: positiveInt("seed", values.seed, 1001) };
  return {
    cohort: values.cohort ?? null,
    simulate,
    models,
    out: values.out ?? defaultOut(models[0] as string, values.cohort ?? null, simulate),
    ...(values["max-patients"] === undefined ? {} : { maxPatients: positiveInt("max-patients", values["max-patients"], 0) }),
    skipBadLines: values["skip-bad-lines"] === true,
  };
}
