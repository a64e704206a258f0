/**
 * The training scripts that run only when started as the main module (train.sh starts them; the
 * tests import them), started by a path through a symbolic link: they compared the link's path
 * with their own real path and silently did nothing, so train.sh's parity check passed without
 * checking anything.
 */
import { spawnSync } from "node:child_process";
import { rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { featureSpecJson } from "../../../models/training/print-spec.ts";
import { tempDir } from "../../population/fixtures.ts";

const ROOT = path.join(import.meta.dirname, "../../..");
const work = tempDir("patella-test-training-link-");
const link = path.join(work, "patella-link");
symlinkSync(ROOT, link);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (script: string) => spawnSync("node", ["--import", "tsx", path.join(link, script)], { cwd: ROOT, encoding: "utf8" });

describe("training scripts started by a path through a symbolic link", () => {
  it("print-spec prints the feature layout", () => {
    const result = run("models/training/print-spec.ts");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(featureSpecJson());
  });

  it("check-parity runs: without a model folder it stops with its usage", () => {
    const result = run("models/training/check-parity.ts");
    expect(result.stderr).toContain("usage: npx tsx models/training/check-parity.ts MODEL_DIR");
    expect(result.status).toBe(2);
  });
});
