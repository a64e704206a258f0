/** The messages between the job's reading thread and its scoring workers. */
import type { Medication } from "fhir/r4";
import type { RiskModelInfo } from "../../shared/inference/index.ts";
import type { StatsDelta } from "../skipped-lines.ts";
import type { PackedLines } from "./packed-lines.ts";
import type { ScoredRow } from "./scored-patient.ts";

/** Sent once before the first lines: what turns a patient's NDJSON lines into a record. */
export interface LinesContext {
  kind: "lines-context";
  /** The Medication lookup's entries (id, resource). */
  medications: [string, Medication][];
  fhirBaseUrl: string | null;
}

/** Patients to score: records assembled on the reading thread (Bundles, spilled NDJSON) as one
 * JSON string (structured cloning of deep FHIR objects costs the reading thread about four
 * times what JSON.stringify does), and patients as their unparsed NDJSON lines. */
export interface ScoreRequest {
  kind: "score";
  batch: number;
  records: string;
  lines: PackedLines;
  /** Patients not to score (another shard's, or stored by an earlier run), whose lines are
   * parsed only to count them as a whole read does. */
  countOnly: PackedLines;
}

export type WorkerRequest = LinesContext | ScoreRequest;

/** A batch's results and what the worker counted while parsing its lines. */
export interface ScoredBatch {
  /** The patients scored, as the checkpoint stores them, with their feature builder's counts. */
  results: ScoredRow[];
  /** What the worker counted while parsing the lines (resources, bad lines). */
  input: StatsDelta;
}

export type WorkerReply =
  | { kind: "ready"; model: RiskModelInfo }
  | ({ kind: "scored"; batch: number } & ScoredBatch)
  /** batch -1: the worker could not start (e.g. the model file). */
  | { kind: "failed"; batch: number; message: string };
