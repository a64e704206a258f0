/**
 * Grouping NDJSON by patient when the files are not ordered by patient: every line that
 * belongs to a patient goes into a temporary SQLite table on disk, which is then read back
 * ordered by patient. Memory holds one patient and SQLite's page cache, whatever the
 * population size; the database is deleted when the read ends or is abandoned.
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Resource } from "fhir/r4";
import type { Placement } from "./record-assembler.ts";
import { LineIdCheck } from "./line-id-check.ts";
import { readNdjsonFile, type BadLinePolicy } from "./ndjson-lines.ts";
import { mkdirOwnerOnly, mkdtempOwnerOnly, openOwnerOnlyDatabase } from "./owner-only-files.ts";

/** Rows per insert transaction: large enough to amortise commits, small enough to stay flat. */
const INSERT_BATCH = 5000;

export interface SpillInput {
  /** Patient files first, so that each group starts with its Patient. */
  files: readonly string[];
  policy: BadLinePolicy;
  place: (resource: Resource) => Placement;
  /** Whether to keep a resource placed under a patient; applied before writing to disk. */
  keep: (resource: Resource, patientId: string) => boolean;
  /** The folder the spill's own temporary folder goes in, created if missing (the population job
   * gives one the run owns: job/spill-folder.ts). Default: the OS temp folder. */
  tempDir?: string;
  /** ReadPopulationOptions.onGrouping. */
  onGrouping?: (resourcesGrouped: number, finished: boolean) => void;
}

/** Yields each patient's resources in input order, patients ordered by id. */
export async function* spillAndGroup(input: SpillInput): AsyncGenerator<{ patientId: string; resources: Resource[] }> {
  const parent = input.tempDir ?? tmpdir();
  // Patients' lines: folders 0700 (a parent that exists, such as the OS temp folder, is left as it
  // is), the database 0600, whatever the umask (owner-only-files.ts).
  mkdirOwnerOnly(parent);
  const dir = mkdtempOwnerOnly(join(parent, "patella-spill-"));
  const db = openOwnerOnlyDatabase(join(dir, "spill.sqlite"));
  let rows: IterableIterator<{ patient: string; json: string }> | undefined;
  try {
    // A scratch database: durability is worthless here, speed is not.
    db.pragma("journal_mode = OFF");
    db.pragma("synchronous = OFF");
    db.exec("CREATE TABLE line (seq INTEGER PRIMARY KEY, patient TEXT NOT NULL, json TEXT NOT NULL)");
    await spillFiles(db, input);
    db.exec("CREATE INDEX line_patient ON line (patient, seq)");
    rows = db.prepare("SELECT patient, json FROM line ORDER BY patient, seq").iterate() as typeof rows & object;
    let current: { patientId: string; resources: Resource[] } | null = null;
    for (const row of rows) {
      if (current !== null && current.patientId !== row.patient) {
        yield current;
        current = null;
      }
      current ??= { patientId: row.patient, resources: [] };
      current.resources.push(JSON.parse(row.json) as Resource);
    }
    if (current !== null) yield current;
  } finally {
    // An abandoned read leaves the statement open, and SQLite refuses to close a busy connection.
    rows?.return?.();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function spillFiles(db: Database.Database, input: SpillInput): Promise<void> {
  const insert = db.prepare("INSERT INTO line (patient, json) VALUES (?, ?)");
  const insertBatch = db.transaction((batch: [string, string][]) => {
    for (const [patient, json] of batch) insert.run(patient, json);
  });
  let batch: [string, string][] = [];
  let grouped = 0;
  const flush = () => {
    insertBatch(batch);
    grouped += batch.length;
    batch = [];
    input.onGrouping?.(grouped, false);
  };
  const ids = new LineIdCheck(input.policy);
  for (const file of input.files) {
    for await (const item of readNdjsonFile(file, input.policy)) {
      if (!ids.check(item.resource, item.file, item.line)) continue;
      const placement = input.place(item.resource);
      if (placement === null || !input.keep(item.resource, placement.patientId)) continue;
      batch.push([placement.patientId, item.text]);
      if (batch.length >= INSERT_BATCH) flush();
    }
    // Also after each file: an export of many small files reports as it goes.
    flush();
  }
  input.onGrouping?.(grouped, true);
}
