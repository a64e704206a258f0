/**
 * The job's state on disk (`OUT/job-state.sqlite`, better-sqlite3): what the run is (its
 * identity), every patient scored so far, and, once the input has been read to the end, the
 * reader's counts. Each batch is committed in one transaction, so a run killed at any moment
 * (kill -9 included) resumes by skipping the patients already stored, and a patient can be
 * stored only once (its id is the primary key). Patients scored from a merge join that then
 * fails (the NDJSON files were not ordered by patient after all) are deleted in the transaction
 * that records the fallback to the SQLite spill, so a resumed run goes straight to the spill and
 * never keeps a patient grouped by the failed join. The feature builder's counts of the patients
 * stored go with them (builder-totals.ts). Shard merges read these files.
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { openOwnerOnlyDatabase } from "../owner-only-files.ts";
import { BUILDER_TOTALS_SCHEMA, BuilderTotals, type BuilderQualityReport } from "./builder-totals.ts";
import type { InputReport } from "./input-report.ts";
import type { StoredRun } from "./outputs/write-outputs.ts";
import type { RunTiming } from "./run-timing.ts";
import { storedRow, type BuilderQuality, type ScoredPatient, type ScoredRow, type StoredRow } from "./scored-patient.ts";

export const STATE_FILE = "job-state.sqlite";

/** Everything that decides a run's results; a resume or a merge must agree on all of it. */
export interface RunIdentity {
  /** The input directory, or the FHIR base URL of a Bulk Data export. */
  source: string;
  /** The input folder's files as read (input-fingerprint.ts). */
  inputFiles: string;
  indexDate: string;
  minAgeYears: number | null;
  explainFrom: number;
  includeNames: boolean;
  /** The rules this version of Patella applies to a patient (rules-version.ts). */
  rules: string;
  /** The model as its metadata names it, and its file's SHA-256: a model retrained or
   * recalibrated under the same name and version is another model. */
  model: { name: string; version: string; specVersion: string; sha256: string };
  shard: { index: number; count: number };
}

export class CheckpointMismatchError extends Error {
  override name = "CheckpointMismatchError";
}

export class Checkpoint {
  private readonly storedStatement;
  private readonly insertStatement;
  private readonly builder: BuilderTotals;

  private constructor(private readonly db: Database.Database) {
    this.storedStatement = db.prepare("SELECT probability IS NOT NULL FROM patient WHERE patient_id = ?").pluck();
    this.insertStatement = db.prepare("INSERT OR IGNORE INTO patient (patient_id, probability, result) VALUES (?, ?, ?)");
    this.builder = new BuilderTotals(db);
  }

  /** Opens the state of `outDir`, creating it for a new run. A state left by a run with another
   * identity is refused: mixing the two would give results that belong to neither. */
  static open(outDir: string, identity: RunIdentity): Checkpoint {
    // Patients' results: the database, and so its WAL and shared memory, 0600 whatever the umask.
    const db = openOwnerOnlyDatabase(join(outDir, STATE_FILE));
    db.pragma("journal_mode = WAL");
    // A commit survives kill -9 without an fsync per batch; only an OS crash can lose the last
    // batches, which the next run then scores again.
    db.pragma("synchronous = NORMAL");
    db.exec(
      "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);" +
        "CREATE TABLE IF NOT EXISTS patient (patient_id TEXT PRIMARY KEY, probability REAL, result TEXT NOT NULL);" +
        BUILDER_TOTALS_SCHEMA,
    );
    const checkpoint = new Checkpoint(db);
    const stored = checkpoint.meta<RunIdentity>("identity");
    if (stored === null) {
      checkpoint.setMeta("identity", identity);
    } else if (JSON.stringify(stored) !== JSON.stringify(identity)) {
      db.close();
      const names = { first: "that run", second: "this one" };
      throw new CheckpointMismatchError(
        `${join(outDir, STATE_FILE)} belongs to another run: ${describeDifference(stored, identity, names)}. ${whatToDo(stored, identity)}`,
      );
    }
    return checkpoint;
  }

  /** The index date of the run whose state `outDir` holds, finished or not; null when it holds
   * none it can read (Checkpoint.open then says what is wrong with it). */
  static storedIndexDate(outDir: string): string | null {
    const file = join(outDir, STATE_FILE);
    if (!existsSync(file)) return null;
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
      const identity = new Checkpoint(db).meta<Partial<RunIdentity>>("identity");
      return typeof identity?.indexDate === "string" ? identity.indexDate : null;
    } catch {
      return null;
    } finally {
      db?.close();
    }
  }

  /** Opens a finished run's state read-only (for a merge). */
  static openFinished(outDir: string): Checkpoint {
    const file = join(outDir, STATE_FILE);
    if (!existsSync(file)) throw new CheckpointMismatchError(`${file} does not exist: not the output directory of a run`);
    const checkpoint = new Checkpoint(new Database(file, { readonly: true }));
    if (checkpoint.inputReport() === null) throw new CheckpointMismatchError(`${file}: that run has not finished`);
    return checkpoint;
  }

  identity(): RunIdentity {
    return this.meta<RunIdentity>("identity")!;
  }

  /** Whether the patient is stored and given a risk (true), stored without one (false: not
   * eligible, no Patient resource), or not stored (null). */
  storedWithRisk(patientId: string): boolean | null {
    const scored = this.storedStatement.get(patientId) as number | undefined;
    return scored === undefined ? null : scored === 1;
  }

  /** Stores a batch copied from a shard's state in one transaction; the shards' feature builder
   * counts are added once, by finishMerge. */
  add(results: readonly ScoredPatient[]): void {
    this.db.transaction(() => {
      for (const patient of results) this.insert(storedRow(patient));
    })();
  }

  /** Stores a batch serialised by a scoring thread in one transaction, with the feature builder's
   * counts of the patients it stored. */
  addRows(rows: readonly ScoredRow[]): void {
    this.db.transaction(() => {
      const stored: BuilderQuality[] = [];
      for (const row of rows) if (this.insert(row)) stored.push(row.builderQuality);
      this.builder.add(stored);
    })();
  }

  /** False when the patient was stored already (and so counted). */
  private insert(row: StoredRow): boolean {
    return this.insertStatement.run(row.patientId, row.probability, row.json).changes > 0;
  }

  get count(): number {
    return this.db.prepare("SELECT count(*) FROM patient").pluck().get() as number;
  }

  /** Every patient stored, riskiest first (ties and unscored patients by id): the order of the
   * ranked list, which does not depend on the order patients were read in. */
  *ranked(): Generator<ScoredPatient> {
    const rows = this.db.prepare("SELECT result FROM patient ORDER BY probability IS NULL, probability DESC, patient_id").pluck().iterate();
    for (const row of rows) yield JSON.parse(row as string) as ScoredPatient;
  }

  /** Every patient stored, by id. */
  *byId(): Generator<ScoredPatient> {
    for (const row of this.db.prepare("SELECT result FROM patient ORDER BY patient_id").pluck().iterate()) yield JSON.parse(row as string) as ScoredPatient;
  }

  /** "sqlite-spill" once a run has found the NDJSON files not ordered by patient; null before. */
  grouping(): "sqlite-spill" | null {
    return this.meta<"sqlite-spill">("grouping");
  }

  /** Forgets every patient stored (all grouped by the merge join that failed) and records that
   * the input is to be grouped by the spill, in one transaction. */
  restartWithSpill(): void {
    this.db.transaction(() => {
      this.db.exec("DELETE FROM patient");
      this.builder.clear();
      this.setMeta("grouping", "sqlite-spill");
    })();
  }

  /** Set once the whole input has been read; null before. */
  inputReport(): InputReport | null {
    return this.meta<InputReport>("input");
  }

  /** How the run that scored the input went; null before it has finished. */
  timing(): RunTiming | null {
    return this.meta<RunTiming>("timing");
  }

  /** Records, in one transaction, the reader's counts and how the run went: a later run that
   * only writes the outputs again shows the figures of the run that scored. */
  finishInput(report: InputReport, timing: RunTiming): void {
    this.db.transaction(() => {
      this.setMeta("input", report);
      this.setMeta("timing", timing);
    })();
  }

  /** finishInput for a merge, adding the shards' feature builder counts in the same transaction:
   * a merge stopped before it copies every shard's patients again (each stored once), and must
   * not count them twice. */
  finishMerge(report: InputReport, timing: RunTiming, shards: readonly Checkpoint[]): void {
    this.db.transaction(() => {
      for (const shard of shards) this.builder.addAll(shard.builder);
      this.finishInput(report, timing);
    })();
  }

  /** What the feature builder skipped and could not map in the records of the stored patients. */
  builderQuality(): BuilderQualityReport {
    return this.builder.report();
  }

  /** The finished run as the outputs are written from it (a scoring run's or a merge's), with
   * the input report the caller holds. */
  storedRun(input: InputReport): StoredRun {
    return { identity: this.identity(), input, builderQuality: this.builderQuality(), ranked: () => this.ranked(), byId: () => this.byId() };
  }

  close(): void {
    this.db.close();
  }

  private meta<T>(key: string): T | null {
    const value = this.db.prepare("SELECT value FROM meta WHERE key = ?").pluck().get(key) as string | undefined;
    return value === undefined ? null : (JSON.parse(value) as T);
  }

  private setMeta(key: string, value: unknown): void {
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(key, JSON.stringify(value));
  }
}

/** Each part of the identity as the user would change it, and its value as a message shows it.
 * A value may be missing from an identity stored by an older version of Patella. */
const IDENTITY_PARTS: { readonly [K in keyof RunIdentity]: { option: string; shown: (value: RunIdentity[K]) => string } } = {
  source: { option: "--input or --fhir", shown: String },
  inputFiles: { option: "input files (added, removed or changed since that run)", shown: (hash) => `fingerprint ${shortHash(hash)}` },
  indexDate: { option: "--index-date", shown: String },
  minAgeYears: { option: "--min-age", shown: (age) => (age === null ? "default" : String(age)) },
  explainFrom: { option: "--explain-from (by default the --threshold)", shown: String },
  includeNames: { option: "--include-names", shown: (names) => (names ? "given" : "not given") },
  rules: { option: "Patella version (the rules a run applies)", shown: (rules) => rules ?? NOT_RECORDED },
  model: {
    option: "model (--model)",
    shown: (model) => `${model.name} ${model.version}, feature spec ${model.specVersion}, file SHA-256 ${shortHash(model.sha256)}`,
  },
  shard: { option: "--shard", shown: (shard) => `${shard.index}/${shard.count}` },
};

const NOT_RECORDED = "none recorded";
const shortHash = (hash: string | undefined) => (hash === undefined ? NOT_RECORDED : hash.slice(0, 12));

const differingParts = (first: RunIdentity, second: RunIdentity) =>
  (Object.keys(second) as (keyof RunIdentity)[]).filter((key) => JSON.stringify(first[key]) !== JSON.stringify(second[key]));

/** Every part in which two identities differ, as the option and its two values (options only: an
 * identity holds no patient data), e.g. "--index-date 2026-01-01 in that run, 2025-06-01 in this one". */
export function describeDifference(first: RunIdentity, second: RunIdentity, names: { first: string; second: string }): string {
  return differingParts(first, second)
    .map((key) => describePart(key, first, second, names))
    .join("; ");
}

/** Parts no option of the command brings back: a state that differs in one of them cannot be resumed. */
const NOT_GIVEN_AGAIN: readonly (keyof RunIdentity)[] = ["inputFiles", "rules", "model"];

/**
 * What to do with a state refused: resume it, when what differs includes the index date (a run
 * without --index-date takes the stored one, cli.ts: the default, today, changes at midnight UTC)
 * and nothing that the command line cannot give again; or start another run.
 */
function whatToDo(stored: RunIdentity, identity: RunIdentity): string {
  const differing = differingParts(stored, identity);
  if (!differing.includes("indexDate") || differing.some((key) => NOT_GIVEN_AGAIN.includes(key))) return "Use another --out, or delete it to start over";
  const others = differing.length > 1 ? " and with that run's other values above" : "";
  return (
    `To resume that run, run the command without --index-date (it then takes that run's, ${stored.indexDate})${others}; ` +
    "to score with this one's, use another --out, or delete it to start over"
  );
}

function describePart<K extends keyof RunIdentity>(key: K, first: RunIdentity, second: RunIdentity, names: { first: string; second: string }): string {
  const { option, shown } = IDENTITY_PARTS[key];
  return `${option} ${shown(first[key])} in ${names.first}, ${shown(second[key])} in ${names.second}`;
}
