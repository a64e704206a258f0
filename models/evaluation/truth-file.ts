/**
 * Reads a simulated cohort's truth.ndjson (models/cohort/truth.ts: per patient the index
 * dates, the simulator's true 1-year risk at each and the outcome) into a map by patient id.
 * Small: one line per patient, a few index dates each.
 */
import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import type { TruthRecord } from "../cohort/truth.ts";
import { PopulationInputError } from "../../population/input-error.ts";
import { TRUTH_FILE } from "../../population/ndjson-directory.ts";

export type TruthMap = ReadonlyMap<string, TruthRecord>;

function checkLine(value: unknown): value is TruthRecord {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<TruthRecord>;
  return (
    typeof v.patientId === "string" &&
    Array.isArray(v.indexDates) &&
    v.indexDates.every(
      (d) => typeof d?.date === "string" && typeof d.trueRisk1y === "number" && typeof d.outcome1y === "boolean",
    )
  );
}

/** The truth map of a cohort directory, or null when it has no truth.ndjson. */
export async function readTruth(dir: string): Promise<TruthMap | null> {
  const file = path.join(dir, TRUTH_FILE);
  if (!(await access(file).then(() => true, () => false))) return null;
  const truth = new Map<string, TruthRecord>();
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new PopulationInputError(file, lineNo, "not valid JSON");
    }
    if (!checkLine(parsed)) {
      throw new PopulationInputError(file, lineNo, "not a truth record (patientId, indexDates[{date, trueRisk1y, outcome1y}])");
    }
    truth.set(parsed.patientId, parsed);
  }
  return truth;
}
