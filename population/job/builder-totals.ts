/**
 * The run's totals of what the feature builder skipped and could not map in the records it
 * scored (each patient's DataQuality.skipped and unmappedCodes), kept in the checkpoint's
 * database: a batch's counts are added in the transaction that stores its patients, so a run
 * resumed after kill -9 counts each stored patient once, as an uninterrupted run does, and the
 * regrouping that forgets the stored patients forgets their counts with them.
 *
 * Memory does not grow with the population: a batch's counts are summed in memory, the totals
 * live on disk. The skip reasons are a short fixed list; the distinct codes are not (a site's
 * local codes, every ICD-10-CM code outside the value sets), so at most UNMAPPED_CODES_KEPT
 * are kept, the first seen; the occurrences of any other are counted in one figure.
 *
 * A code enters the run's state here, from the scoring threads, so it is sorted here, once, by
 * shown-code.ts: a code of a form that may hold an identifier is counted in a figure of its own
 * (codesNotShownOccurrences), never stored.
 */
import type Database from "better-sqlite3";
import type { BuilderQuality } from "./scored-patient.ts";
import { isShownCode } from "./shown-code.ts";

/** Distinct codes kept per run: at most about 11 MB of checkpoint (measured with 100,000 codes
 * like "http://hl7.org/fhir/sid/icd-10-cm|M00001.1"), and more than a site could map by hand
 * (ICD-10-CM has about 70,000 codes). */
export const UNMAPPED_CODES_KEPT = 100_000;

/** Codes the summary lists, most frequent first. */
const UNMAPPED_CODES_LISTED = 20;

export interface UnmappedCode {
  /** "system|code" */
  code: string;
  occurrences: number;
  /** Patients whose record has it. */
  patients: number;
}

export interface BuilderQualityReport {
  /** Resources the feature builder skipped, by reason ("Condition: no code"). */
  skipped: Record<string, number>;
  /** Distinct codes kept: every one seen unless `codesNotKeptOccurrences` > 0. */
  distinctCodes: number;
  /** The UNMAPPED_CODES_LISTED most frequent (occurrences, then patients, then code). */
  topCodes: UnmappedCode[];
  /** Occurrences of codes first seen once UNMAPPED_CODES_KEPT were kept. */
  codesNotKeptOccurrences: number;
  /** Occurrences of codes not kept for their form (shown-code.ts), counted only. */
  codesNotShownOccurrences: number;
}

export const BUILDER_TOTALS_SCHEMA =
  "CREATE TABLE IF NOT EXISTS builder_skipped (reason TEXT PRIMARY KEY, resources INTEGER NOT NULL);" +
  "CREATE TABLE IF NOT EXISTS unmapped_code (code TEXT PRIMARY KEY, occurrences INTEGER NOT NULL, patients INTEGER NOT NULL);" +
  "CREATE TABLE IF NOT EXISTS unmapped_code_not_kept (id INTEGER PRIMARY KEY CHECK (id = 1), occurrences INTEGER NOT NULL);" +
  "CREATE TABLE IF NOT EXISTS unmapped_code_not_shown (id INTEGER PRIMARY KEY CHECK (id = 1), occurrences INTEGER NOT NULL)";

export class BuilderTotals {
  private readonly addSkippedStatement;
  private readonly addToCodeStatement;
  private readonly keepCodeStatement;
  private readonly addNotKeptStatement;
  private keptCodes: number;

  /** `db` holds BUILDER_TOTALS_SCHEMA. */
  constructor(private readonly db: Database.Database) {
    this.addSkippedStatement = db.prepare(
      "INSERT INTO builder_skipped (reason, resources) VALUES (?, ?) ON CONFLICT (reason) DO UPDATE SET resources = resources + excluded.resources",
    );
    this.addToCodeStatement = db.prepare("UPDATE unmapped_code SET occurrences = occurrences + ?, patients = patients + ? WHERE code = ?");
    this.keepCodeStatement = db.prepare("INSERT INTO unmapped_code (code, occurrences, patients) VALUES (?, ?, ?)");
    this.addNotKeptStatement = db.prepare(
      "INSERT INTO unmapped_code_not_kept (id, occurrences) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET occurrences = occurrences + excluded.occurrences",
    );
    this.keptCodes = this.distinctCodes();
  }

  /** Adds the counts of a batch's patients (inside the caller's transaction), summed first: one
   * statement per reason and code of the batch, not per patient. */
  add(patients: Iterable<BuilderQuality>): void {
    const skipped = new Map<string, number>();
    const codes = new Map<string, { occurrences: number; patients: number }>();
    let notShown = 0;
    for (const patient of patients) {
      for (const [reason, n] of Object.entries(patient.skipped)) skipped.set(reason, (skipped.get(reason) ?? 0) + n);
      for (const [code, n] of Object.entries(patient.unmappedCodes)) {
        if (!isShownCode(code)) {
          notShown += n;
          continue;
        }
        const counts = codes.get(code) ?? { occurrences: 0, patients: 0 };
        counts.occurrences += n;
        counts.patients += 1;
        codes.set(code, counts);
      }
    }
    for (const [reason, n] of skipped) this.addSkippedStatement.run(reason, n);
    for (const [code, { occurrences, patients }] of codes) this.addCode({ code, occurrences, patients });
    this.addNotShown(notShown);
  }

  /** Adds another run's totals (a shard's, to a merge; inside the caller's transaction). */
  addAll(other: BuilderTotals): void {
    for (const [reason, n] of Object.entries(other.skipped())) this.addSkippedStatement.run(reason, n);
    for (const code of other.db.prepare("SELECT code, occurrences, patients FROM unmapped_code").iterate() as IterableIterator<UnmappedCode>) this.addCode(code);
    const notKept = other.codesNotKeptOccurrences();
    if (notKept > 0) this.addNotKeptStatement.run(notKept);
    this.addNotShown(other.codesNotShownOccurrences());
  }

  /** Forgets every count (with the stored patients: a regrouping). */
  clear(): void {
    this.db.exec("DELETE FROM builder_skipped; DELETE FROM unmapped_code; DELETE FROM unmapped_code_not_kept; DELETE FROM unmapped_code_not_shown");
    this.keptCodes = 0;
  }

  report(): BuilderQualityReport {
    const topCodes = this.db
      .prepare("SELECT code, occurrences, patients FROM unmapped_code ORDER BY occurrences DESC, patients DESC, code LIMIT ?")
      .all(UNMAPPED_CODES_LISTED) as UnmappedCode[];
    return {
      skipped: this.skipped(),
      distinctCodes: this.distinctCodes(),
      topCodes,
      codesNotKeptOccurrences: this.codesNotKeptOccurrences(),
      codesNotShownOccurrences: this.codesNotShownOccurrences(),
    };
  }

  private addCode({ code, occurrences, patients }: UnmappedCode): void {
    if (this.addToCodeStatement.run(occurrences, patients, code).changes > 0) return;
    if (this.keptCodes < UNMAPPED_CODES_KEPT) {
      this.keepCodeStatement.run(code, occurrences, patients);
      this.keptCodes += 1;
    } else {
      this.addNotKeptStatement.run(occurrences);
    }
  }

  /** By reason, in name order (the order rows were added in depends on the scoring threads). */
  private skipped(): Record<string, number> {
    const rows = this.db.prepare("SELECT reason, resources FROM builder_skipped ORDER BY reason").raw().all() as [string, number][];
    return Object.fromEntries(rows);
  }

  private distinctCodes(): number {
    return this.db.prepare("SELECT count(*) FROM unmapped_code").pluck().get() as number;
  }

  private codesNotKeptOccurrences(): number {
    return (this.db.prepare("SELECT occurrences FROM unmapped_code_not_kept").pluck().get() as number | undefined) ?? 0;
  }

  /** Prepared when used, not with the others: a state an earlier version wrote, opened read-only
   * (storedIndexDate, a shard to merge), lacks the table, and must still open. */
  private addNotShown(occurrences: number): void {
    if (occurrences === 0) return;
    this.db
      .prepare("INSERT INTO unmapped_code_not_shown (id, occurrences) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET occurrences = occurrences + excluded.occurrences")
      .run(occurrences);
  }

  /** 0 too in a state an earlier version wrote without the table (above), which counted none. */
  private codesNotShownOccurrences(): number {
    const table = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'unmapped_code_not_shown'").get();
    if (table === undefined) return 0;
    return (this.db.prepare("SELECT occurrences FROM unmapped_code_not_shown").pluck().get() as number | undefined) ?? 0;
  }
}
