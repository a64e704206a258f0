/** One unreadable line of Patient.ndjson in files ordered by patient: reported as a bad line, not
 * taken for files out of order (which made the job discard what it had scored and score the whole
 * input again from the spill). */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Checkpoint } from "../../../population/job/checkpoint.ts";
import { lineProgress } from "../../../population/job/progress.ts";
import { tempDir } from "../fixtures.ts";
import { read, scorePopulation, simulatedPopulation } from "./job-fixtures.ts";

const PATIENTS = 40;
const CUT_LINE = 6;
const OUTPUTS = ["high-risk.csv", "imaging-knee-oa.csv", "risk-assessments.ndjson", "high-risk-group.json", "imaging-knee-oa-group.json"];

let cut: string;
let cutUnordered: string;
let cutPatientId: string;

/** A copy of `from` with `edit` applied to the lines of one file. */
function editedCopy(from: string, file: string, edit: (lines: string[]) => string[]): string {
  const dir = tempDir("patella-job-cut-");
  cpSync(from, dir, { recursive: true });
  const lines = readFileSync(join(dir, file), "utf8").trim().split("\n");
  writeFileSync(join(dir, file), `${edit(lines).join("\n")}\n`);
  return dir;
}

/** Runs the job, with its stderr events. */
async function run(input: string) {
  const out = tempDir("patella-job-cut-out-");
  const log: string[] = [];
  const progress = lineProgress({ write: (line: string) => log.push(line) } as unknown as NodeJS.WritableStream);
  const result = await scorePopulation(input, out, { batchSize: 8, progress });
  const checkpoint = Checkpoint.openFinished(out);
  const report = checkpoint.inputReport()!;
  checkpoint.close();
  return { out, result, report, events: log.map((line) => JSON.parse(line) as { event: string }) };
}

beforeAll(() => {
  const { dir } = simulatedPopulation(PATIENTS, 17);
  cutPatientId = JSON.parse(readFileSync(join(dir, "Patient.ndjson"), "utf8").split("\n")[CUT_LINE - 1]!).id;
  // Cut short in the middle, as a truncated copy leaves it.
  cut = editedCopy(dir, "Patient.ndjson", (lines) => lines.map((line, i) => (i === CUT_LINE - 1 ? line.slice(0, 60) : line)));
  // The same, with the first patient's Conditions moved to the end: out of order, so read from the spill.
  const first = `Patient/${JSON.parse(readFileSync(join(dir, "Patient.ndjson"), "utf8").split("\n")[0]!).id}"`;
  cutUnordered = editedCopy(cut, "Condition.ndjson", (lines) => [...lines.filter((l) => !l.includes(first)), ...lines.filter((l) => l.includes(first))]);
});

describe("an unreadable Patient line in NDJSON ordered by patient", () => {
  it("is a bad line, and the join goes on: no regrouping, and the outputs the spill gives", async () => {
    expect(readFileSync(join(cut, "Condition.ndjson"), "utf8")).toContain(`"Patient/${cutPatientId}"`);
    const joined = await run(cut);
    expect(joined.events.filter((e) => e.event === "regrouping")).toEqual([]);
    expect(joined.report.grouping).toBe("merge-join");
    expect(joined.report.badLines).toEqual([{ where: `Patient.ndjson:${CUT_LINE}`, reason: "line is not valid JSON" }]);
    // The patient of the cut line is still grouped, without a Patient, as the spill has it: an id
    // known only from references, counted apart from the patients.
    expect(joined.result.patients).toBe(PATIENTS - 1);
    expect(joined.result.orphanReferences).toBe(1);
    expect(joined.result.patientResources).toBe(PATIENTS - 1);

    const spilled = await run(cutUnordered);
    expect(spilled.events.filter((e) => e.event === "regrouping")).toHaveLength(1);
    expect(spilled.report.grouping).toBe("sqlite-spill");
    for (const file of OUTPUTS) expect(read(joined.out, file), file).toBe(read(spilled.out, file));
    expect({ ...joined.report, grouping: null }).toEqual({ ...spilled.report, grouping: null });
  }, 240_000);
});
