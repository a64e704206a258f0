/**
 * The cohort simulator's ground truth (truth.ndjson), looked up by patient. One line per patient:
 * {"patientId", "sex", "birthDate", "kneeOaDiagnosisDate", "indexDates": [{"date", "trueRisk1y",
 * "outcome1y"}]}. The lines go into a temporary SQLite table so that lookups do not hold the
 * whole file in memory and do not depend on the order in which patients are read.
 */
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { parseCalendarDay } from "../shared/fhir-dates.ts";
import { PopulationInputError } from "./input-error.ts";
import { readNdjsonLines } from "./ndjson-lines.ts";
import { mkdtempOwnerOnly, openOwnerOnlyDatabase } from "./owner-only-files.ts";
import { TRUTH_FILE } from "./ndjson-directory.ts";

/** One index date of the ground truth. */
export interface TruthIndexDate {
  /** YYYY-MM-DD. */
  date: string;
  /** The simulator's exact probability of a knee OA diagnosis within [date, date + 365 days). */
  trueRisk1y: number;
  outcome1y: boolean;
}

const INSERT_BATCH = 5000;

export class TruthStore {
  private readonly lookup: Database.Statement<[string], { json: string }>;
  private readonly markSeen: Database.Statement<[string]>;

  private constructor(
    private readonly db: Database.Database,
    private readonly dir: string,
  ) {
    this.lookup = db.prepare("SELECT json FROM truth WHERE patient = ?");
    this.markSeen = db.prepare("UPDATE truth SET seen = 1 WHERE patient = ?");
  }

  /** Loads `dir`/truth.ndjson, or returns null when there is none. Bad lines throw with file:line. */
  static async open(dir: string, tempDir?: string): Promise<TruthStore | null> {
    const file = join(dir, TRUTH_FILE);
    if (!existsSync(file)) return null;
    // Scratch files are owner-only, as the rest (owner-only-files.ts).
    const scratch = mkdtempOwnerOnly(join(tempDir ?? tmpdir(), "patella-truth-"));
    const db = openOwnerOnlyDatabase(join(scratch, "truth.sqlite"));
    try {
      db.pragma("journal_mode = OFF");
      db.pragma("synchronous = OFF");
      db.exec("CREATE TABLE truth (patient TEXT PRIMARY KEY, json TEXT NOT NULL, seen INTEGER NOT NULL DEFAULT 0)");
      const insert = db.prepare("INSERT INTO truth (patient, json) VALUES (?, ?)");
      const insertBatch = db.transaction((rows: [string, string][]) => {
        for (const row of rows) insert.run(...row);
      });
      let batch: [string, string][] = [];
      for await (const { text, line } of readNdjsonLines(file)) {
        const { patientId, indexDates } = parseTruthLine(text, line);
        batch.push([patientId, JSON.stringify(indexDates)]);
        if (batch.length >= INSERT_BATCH) {
          insertBatch(batch);
          batch = [];
        }
      }
      insertBatch(batch);
    } catch (error) {
      db.close();
      rmSync(scratch, { recursive: true, force: true });
      if (error instanceof Error && /UNIQUE constraint/.test(error.message)) {
        throw new PopulationInputError(TRUTH_FILE, null, "a patient appears on more than one line");
      }
      throw error;
    }
    return new TruthStore(db, scratch);
  }

  /** The patient's index dates (marking the patient as seen), or undefined when not in the truth. */
  indexDates(patientId: string): TruthIndexDate[] | undefined {
    const row = this.lookup.get(patientId);
    if (row === undefined) return undefined;
    this.markSeen.run(patientId);
    return JSON.parse(row.json) as TruthIndexDate[];
  }

  /** Patients in the truth that were never looked up (no record in the data). */
  unseenCount(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM truth WHERE seen = 0").get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Validates one truth line; errors name truth.ndjson and the line. */
export function parseTruthLine(text: string, line: number): { patientId: string; indexDates: TruthIndexDate[] } {
  const fail = (detail: string) => new PopulationInputError(TRUTH_FILE, line, detail);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail(`not valid JSON (${(error as Error).message})`);
  }
  const record = value as { patientId?: unknown; indexDates?: unknown } | null;
  if (typeof record?.patientId !== "string" || record.patientId === "") throw fail("no patientId");
  if (!Array.isArray(record.indexDates)) throw fail("indexDates must be an array");
  const indexDates = record.indexDates.map((item: unknown, i) => {
    const entry = item as { date?: unknown; trueRisk1y?: unknown; outcome1y?: unknown } | null;
    if (typeof entry?.date !== "string" || parseCalendarDay(entry.date) === null) throw fail(`indexDates[${i}].date must be YYYY-MM-DD`);
    if (typeof entry.trueRisk1y !== "number" || !(entry.trueRisk1y >= 0 && entry.trueRisk1y <= 1)) {
      throw fail(`indexDates[${i}].trueRisk1y must be a probability`);
    }
    if (typeof entry.outcome1y !== "boolean") throw fail(`indexDates[${i}].outcome1y must be true or false`);
    return { date: entry.date, trueRisk1y: entry.trueRisk1y, outcome1y: entry.outcome1y };
  });
  return { patientId: record.patientId, indexDates };
}
