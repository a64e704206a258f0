/**
 * The files of one `npm run features` run, written under temporary names and renamed into
 * place only when the run succeeds, so that a failed run never leaves half-written outputs
 * that look complete.
 *
 * PREFIX.sequence.npy  float32 [N, CHANNEL_COUNT, WEEKS], C order
 * PREFIX.static.npy    float32 [N, STATIC_COUNT]
 * PREFIX.labels.npy    float32 [N], 1 or 0
 * PREFIX.rows.ndjson   one JSON object per row, same order
 * PREFIX.meta.json     layout and counts
 */
import { renameSync, rmSync } from "node:fs";
import { writeFileOwnerOnly } from "../../population/owner-only-files.ts";
import { CHANNEL_COUNT, STATIC_COUNT, WEEKS } from "../../shared/features/spec.ts";
import { BufferedFile } from "./buffered-file.ts";
import { NpyWriter } from "./npy-writer.ts";

/** One line of PREFIX.rows.ndjson. */
export interface RowInfo {
  patientId: string;
  indexDate: string;
  label: 0 | 1;
  trueRisk1y: number | null;
  sex: string;
  ageYears: number | null;
  bmiMissing: boolean;
  warnings: readonly string[];
}

export const OUTPUT_SUFFIXES = ["sequence.npy", "static.npy", "labels.npy", "rows.ndjson", "meta.json"] as const;

export class FeatureOutputs {
  private readonly temp: string;
  private readonly sequence: NpyWriter;
  private readonly statics: NpyWriter;
  private readonly labels: NpyWriter;
  private readonly rows: BufferedFile;
  private readonly label = new Float32Array(1);

  constructor(private readonly prefix: string) {
    this.temp = `.tmp-${process.pid}`;
    this.sequence = new NpyWriter(this.tempPath("sequence.npy"), [CHANNEL_COUNT, WEEKS]);
    this.statics = new NpyWriter(this.tempPath("static.npy"), [STATIC_COUNT]);
    this.labels = new NpyWriter(this.tempPath("labels.npy"), []);
    this.rows = new BufferedFile(this.tempPath("rows.ndjson"));
  }

  get rowCount(): number {
    return this.labels.rows;
  }

  append(sequence: Float32Array, statics: Float32Array, row: RowInfo): void {
    this.sequence.append(sequence);
    this.statics.append(statics);
    this.label[0] = row.label;
    this.labels.append(this.label);
    this.rows.writeText(JSON.stringify(row) + "\n");
  }

  /** Finishes every file, writes the meta file and renames all into place. */
  commit(meta: object): string[] {
    this.sequence.close();
    this.statics.close();
    this.labels.close();
    this.rows.close();
    // 0600, as the others (BufferedFile): the files of a site's export are its patients' data.
    writeFileOwnerOnly(this.tempPath("meta.json"), JSON.stringify(meta, null, 2) + "\n");
    return OUTPUT_SUFFIXES.map((suffix) => {
      renameSync(this.tempPath(suffix), this.finalPath(suffix));
      return this.finalPath(suffix);
    });
  }

  /** Closes and deletes the temporary files. */
  abort(): void {
    for (const writer of [this.sequence, this.statics, this.labels, this.rows]) {
      try {
        writer.abandon();
      } catch {
        // Already closed: nothing to release.
      }
    }
    for (const suffix of OUTPUT_SUFFIXES) rmSync(this.tempPath(suffix), { force: true });
  }

  private finalPath(suffix: string): string {
    return `${this.prefix}.${suffix}`;
  }

  private tempPath(suffix: string): string {
    return `${this.prefix}.${suffix}${this.temp}`;
  }
}
