import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { EVALUATE_OPTIONS, USAGE, UsageError, parseEvaluateArgs } from "../../../models/evaluation/cli-args.ts";

describe("parseEvaluateArgs", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "eval-args-"));
    for (const f of ["deep-koa.onnx", "baseline-aggregated-lr.onnx", "baseline-age-sex-lr.onnx", "other.onnx"]) {
      await writeFile(path.join(dir, f), "");
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("adds the baselines next to a single model and writes beside it", () => {
    const args = parseEvaluateArgs(["--cohort", "c", "--model", path.join(dir, "deep-koa.onnx")]);
    expect(args.models.map((m) => path.basename(m))).toEqual(["deep-koa.onnx", "baseline-aggregated-lr.onnx", "baseline-age-sex-lr.onnx"]);
    expect(args.out).toBe(dir);
    expect(args.cohort).toBe("c");
  });

  it("takes several models as given, and simulation defaults without --cohort", () => {
    const args = parseEvaluateArgs(["--model", path.join(dir, "other.onnx"), "--model", path.join(dir, "deep-koa.onnx"), "--out", "o"]);
    expect(args.models.map((m) => path.basename(m))).toEqual(["other.onnx", "deep-koa.onnx"]);
    expect(args.cohort).toBeNull();
    expect(args.simulate).toEqual({ patients: 50000, seed: 1001 });
    expect(args.out).toBe("o");
  });

  it("writes the shipped model's reports where the model card says they live", () => {
    expect(parseEvaluateArgs([]).out).toBe(path.join("models", "evaluation", "reports", "simulated-seed1001"));
    expect(parseEvaluateArgs(["--seed", "7", "--patients", "100"]).out).toBe(path.join("models", "evaluation", "reports", "simulated-seed7-n100"));
    expect(parseEvaluateArgs(["--cohort", "/data/synthea-100/"]).out).toBe(path.join("models", "evaluation", "reports", "synthea-100"));
  });

  it("explains every option in its usage, printed by --help with exit 0", () => {
    for (const option of Object.keys(EVALUATE_OPTIONS)) expect(USAGE).toMatch(new RegExp(`^  .*--${option}\\b`, "m"));
    const tsx = path.join(import.meta.dirname, "../../../node_modules/.bin/tsx");
    const result = spawnSync(tsx, [path.join(import.meta.dirname, "../../../models/evaluation/cli.ts"), "--help"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(USAGE);
  });

  it("stops with a message naming the files it could not read when nothing is left to evaluate", async () => {
    const cohort = path.join(dir, "not-fhir");
    const tsx = path.join(import.meta.dirname, "../../../node_modules/.bin/tsx");
    await mkdir(cohort);
    await writeFile(path.join(cohort, "notes.json"), '{"foo": 1}\n');
    const result = spawnSync(tsx, [path.join(import.meta.dirname, "../../../models/evaluation/cli.ts"), "--cohort", cohort, "--out", path.join(dir, "out")], { encoding: "utf8" });
    expect(result.status).toBe(1);
    // Named as every stored count names a Bundle file (`printf %s notes.json | sha256sum`).
    expect(result.stderr).toContain(
      "no eligible index dates to evaluate (0 patients read; files not read as FHIR: Bundle file whose name's SHA-256 begins 75e2e39c6918 (not a FHIR resource))",
    );
  });

  it("refuses bad options with a usage error", () => {
    const model = ["--model", path.join(dir, "deep-koa.onnx")];
    expect(() => parseEvaluateArgs(["--bogus"])).toThrow(UsageError);
    expect(() => parseEvaluateArgs([...model, "--cohort", "c", "--seed", "3"])).toThrow(/either --cohort or --patients/);
    expect(() => parseEvaluateArgs([...model, "--patients", "1.5"])).toThrow(/--patients must be a positive integer/);
    expect(() => parseEvaluateArgs(["--model", path.join(dir, "missing.onnx")])).toThrow(/model file not found/);
  });
});
