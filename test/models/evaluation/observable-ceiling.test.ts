import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NpyWriter } from "../../../models/features/npy-writer.ts";
import { type TinyRow, writeTinyTensors } from "./tiny-tensors.ts";

const run = promisify(execFile);
const SCRIPT = path.resolve("models/evaluation/observable-ceiling.py");

// Positives: two past onset with knee pain or an NSAID in the last year, two past onset with
// nothing visible (one has knee pain, but two years ago), two before onset (true risk 0.02 and
// 0.04: median 0.03). Negatives at 0.001-0.003 and one at 0.05.
const ROWS: TinyRow[] = [
  { label: 1, trueRisk1y: 0.5, events: [["knee_pain", 150, 1 / 7]] },
  { label: 1, trueRisk1y: 0.5, events: [["nsaid_oral", 120, 0.25]] },
  { label: 1, trueRisk1y: 0.6, events: [["knee_pain", 50, 1 / 7]] },
  { label: 1, trueRisk1y: 0.6 },
  { label: 1, trueRisk1y: 0.02, events: [["paracetamol", 155, 0.25]] },
  { label: 1, trueRisk1y: 0.04 },
  { label: 0, trueRisk1y: 0.001, events: [["knee_pain", 140, 1 / 7]] },
  { label: 0, trueRisk1y: 0.002 },
  { label: 0, trueRisk1y: 0.003 },
  { label: 0, trueRisk1y: 0.05 },
];

describe("observable-ceiling.py", () => {
  let dir: string;
  let prefix: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "observable-ceiling-"));
    prefix = path.join(dir, "tiny");
    writeTinyTensors(prefix, ROWS);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("counts visible onsets and masks the invisible ones to the pre-onset median", async () => {
    const { stdout } = await run("/usr/bin/python3", [SCRIPT, prefix]);
    expect(stdout).toContain("positives past onset:                   4 / 6 (66.7%)");
    expect(stdout).toContain("  of which with visible evidence:       2 / 4 (50.0%)");
    expect(stdout).toContain("pre-onset positives with evidence:      1 / 2 (50.0%)");
    expect(stdout).toContain("negatives with evidence:                1 / 4 (25.0%)");
    // Oracle: every positive beats every negative except 0.02 and 0.04 against 0.05: 22 / 24.
    expect(stdout).toMatch(/oracle AUROC:\s+0\.9167\s+\(target 0\.97 x oracle = 0\.8892\)/);
    expect(stdout).toMatch(/pre-onset positives' median true risk:\s+0\.0300/);
    // The two invisible onsets drop to 0.03 and lose to the 0.05 negative: 20 / 24 = 0.8333.
    expect(stdout).toMatch(/mask positives\):\s+0\.8333\s+= 0\.909 x oracle/);
    expect(stdout).not.toContain("models (PREFIX.scores");
  });

  it("compares the models it finds scores for, by prodrome visibility", async () => {
    // A "model" that flags exactly the visible rows as high risk.
    const scores = [0.2, 0.2, 0.01, 0.01, 0.2, 0.01, 0.2, 0.001, 0.001, 0.001];
    const writer = new NpyWriter(`${prefix}.scores.deep-koa.npy`, []);
    for (const s of scores) writer.append(Float32Array.of(s));
    writer.close();
    const { stdout } = await run("/usr/bin/python3", [SCRIPT, prefix, "--bootstrap", "0"]);
    const line = stdout.split("\n").find((l) => l.startsWith("deep-koa "));
    // AUROC: all rows (3 x 3.5 + 3 x 3) / 24 = 0.8125; visible rows: three 0.2 positives tie the
    // 0.2 negative, 0.5; invisible rows: 0.01 positives above 0.001 negatives, 1.
    // Sensitivity at 5%: both visible onsets, neither invisible one, one of two pre-onset.
    expect(line?.trim().split(/\s+/)).toEqual(["deep-koa", "0.812", "0.500", "1.000", "1.000", "0.000", "0.500"]);
  });

  it("bootstraps the deep-vs-aggregated difference by patient: a patient's copied rows change nothing", async () => {
    // The same patients once, then each with its row twice (two index dates that look alike).
    // AUROC does not change when every row is doubled, and a bootstrap that draws patients draws
    // the same patients in both (same seed), so the intervals must be identical; one that draws
    // rows draws differently sized samples and gives other intervals.
    const deep = [0.2, 0.2, 0.01, 0.01, 0.2, 0.01, 0.2, 0.001, 0.001, 0.001];
    const aggregated = [0.1, 0.3, 0.02, 0.001, 0.2, 0.05, 0.2, 0.01, 0.002, 0.03];
    const write = (name: string, times: number) => {
      const out = path.join(dir, name);
      const rows = ROWS.flatMap((row, i) => Array.from({ length: times }, () => ({ ...row, patientId: `patient-${i}` })));
      writeTinyTensors(out, rows);
      for (const [model, scores] of [["deep-koa", deep], ["baseline-aggregated-lr", aggregated]] as const) {
        const writer = new NpyWriter(`${out}.scores.${model}.npy`, []);
        for (const s of scores) for (let k = 0; k < times; k++) writer.append(Float32Array.of(s));
        writer.close();
      }
      return out;
    };
    const intervals = async (prefix: string) => {
      const { stdout } = await run("/usr/bin/python3", [SCRIPT, prefix, "--bootstrap", "40"]);
      return stdout.slice(stdout.indexOf("deep-koa minus"));
    };
    const once = await intervals(write("once", 1));
    expect(once).toContain("resamples of patients");
    expect(once).toMatch(/all rows\s+[-+]\d\.\d{3} \([-+]\d\.\d{3} to [-+]\d\.\d{3}\)/);
    expect(await intervals(write("twice", 2))).toBe(once);
  });

  it("names the prefix when the tensors are missing", async () => {
    const missing = path.join(dir, "nothing");
    await expect(run("/usr/bin/python3", [SCRIPT, missing])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`observable-ceiling: ${missing}.meta.json: not found`),
    });
  });
});
