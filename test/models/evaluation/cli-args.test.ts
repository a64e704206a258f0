import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError, parseEvaluateArgs } from "../../../models/evaluation/cli-args.ts";

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

  it("refuses bad options with a usage error", () => {
    const model = ["--model", path.join(dir, "deep-koa.onnx")];
    expect(() => parseEvaluateArgs(["--bogus"])).toThrow(UsageError);
    expect(() => parseEvaluateArgs([...model, "--cohort", "c", "--seed", "3"])).toThrow(/either --cohort or --patients/);
    expect(() => parseEvaluateArgs([...model, "--patients", "1.5"])).toThrow(/--patients must be a positive integer/);
    expect(() => parseEvaluateArgs(["--model", path.join(dir, "missing.onnx")])).toThrow(/model file not found/);
  });
});
