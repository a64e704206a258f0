import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError, parseEvaluateArgs } from "../../../models/evaluation/cli-args.ts";
import { SYNTHEA_REPORT, syntheaEvaluateArgs } from "../../../models/evaluation/committed-reports.ts";

const root = path.join(import.meta.dirname, "../../..");
const scripts = async (): Promise<Record<string, string>> => JSON.parse(await readFile(path.join(root, "package.json"), "utf8")).scripts;

describe("the committed reports' commands", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "committed-reports-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("npm run evaluate:seed2002 writes the seed-2002 report where the model card says it lives", async () => {
    const script = (await scripts())["evaluate:seed2002"];
    expect(script).toMatch(/^node --import tsx models\/evaluation\/cli\.ts /);
    const args = parseEvaluateArgs(script!.replace(/^node --import tsx models\/evaluation\/cli\.ts /, "").split(" "));
    expect(args.out).toBe(path.join("models", "evaluation", "reports", "simulated-seed2002"));
    expect(args.simulate).toEqual({ patients: 50000, seed: 2002 });
    expect(args.cohort).toBeNull();
  });

  it("npm run evaluate:synthea evaluates the Synthea folder into the committed synthea-100 report", async () => {
    expect((await scripts())["evaluate:synthea"]).toBe("node --import tsx models/evaluation/synthea-report.ts");
    const data = path.join(dir, "somewhere-else");
    await mkdir(data);
    await writeFile(path.join(data, "patient.json"), "{}");
    const args = syntheaEvaluateArgs({ SYNTHEA_100: data });
    expect(args).toEqual(["--cohort", data, "--out", SYNTHEA_REPORT]);
    expect(parseEvaluateArgs(args).out).toBe(path.join("models", "evaluation", "reports", "synthea-100"));
  });

  it("without the Synthea data it says what is missing, where it looked and how to point at it", async () => {
    const missing = path.join(dir, "no-such-folder");
    expect(() => syntheaEvaluateArgs({ SYNTHEA_100: missing })).toThrow(UsageError);
    expect(() => syntheaEvaluateArgs({ SYNTHEA_100: missing })).toThrow(/Synthea sample set .* is not part of the repository, and it was not found at .*no-such-folder/);
    expect(() => syntheaEvaluateArgs({ SYNTHEA_100: missing })).toThrow(/set SYNTHEA_100=DIR/);
    const empty = path.join(dir, "empty");
    await mkdir(empty);
    expect(() => syntheaEvaluateArgs({ SYNTHEA_100: empty })).toThrow(/holds no \.json file/);
    // No default place: the repository names nothing outside it.
    for (const env of [{}, { SYNTHEA_100: "" }]) expect(() => syntheaEvaluateArgs(env)).toThrow(/\$SYNTHEA_100 is not set: set SYNTHEA_100=DIR/);
  });

  it("the script stops at once with exit 2 and that message, before loading any model", () => {
    const tsx = path.join(root, "node_modules/.bin/tsx");
    const result = spawnSync(tsx, [path.join(root, "models/evaluation/synthea-report.ts")], {
      encoding: "utf8",
      env: { ...process.env, SYNTHEA_100: path.join(dir, "no-such-folder") },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^evaluate:synthea: the Synthea sample set .* is not part of the repository/);
    expect(result.stderr).not.toContain("patients scored");
  });
});
