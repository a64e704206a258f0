/** Writes a handful of rows in the `npm run features` tensor format, for the tests of the scripts
 * that read PREFIX.* (score-tensors.ts, observable-ceiling.py). */
import { writeFileSync } from "node:fs";
import { NpyWriter } from "../../../models/features/npy-writer.ts";
import { CHANNELS, FEATURE_SPEC_VERSION, STATIC_COUNT, STATIC_FEATURES, WEEKS } from "../../../shared/features/spec.ts";

export interface TinyRow {
  label: 0 | 1;
  trueRisk1y: number;
  /** [channel id, week (0 oldest, 155 the week before the index date), value] to set. */
  events?: [string, number, number][];
  /** Static features; default all 0 (age 50, no sex, BMI missing flag 0). */
  static?: number[];
  /** Default: a patient of its own, p<row number>. */
  patientId?: string;
}

export function writeTinyTensors(prefix: string, rows: readonly TinyRow[]): void {
  const writers = {
    sequence: new NpyWriter(`${prefix}.sequence.npy`, [CHANNELS.length, WEEKS]),
    static: new NpyWriter(`${prefix}.static.npy`, [STATIC_COUNT]),
    labels: new NpyWriter(`${prefix}.labels.npy`, []),
  };
  const records: string[] = [];
  rows.forEach((row, i) => {
    const sequence = new Float32Array(CHANNELS.length * WEEKS);
    for (const [id, week, value] of row.events ?? []) {
      const channel = CHANNELS.findIndex((c) => c.id === id);
      if (channel < 0) throw new Error(`no channel ${id}`);
      sequence[channel * WEEKS + week] = value;
    }
    writers.sequence.append(sequence);
    writers.static.append(Float32Array.from(row.static ?? new Array<number>(STATIC_COUNT).fill(0)));
    writers.labels.append(Float32Array.of(row.label));
    records.push(JSON.stringify({ patientId: row.patientId ?? `p${i}`, indexDate: "2020-01-01", label: row.label, trueRisk1y: row.trueRisk1y }));
  });
  for (const w of Object.values(writers)) w.close();
  writeFileSync(`${prefix}.rows.ndjson`, records.join("\n") + "\n");
  writeFileSync(
    `${prefix}.meta.json`,
    JSON.stringify({
      specVersion: FEATURE_SPEC_VERSION,
      shapes: { sequence: [rows.length, CHANNELS.length, WEEKS], static: [rows.length, STATIC_COUNT], labels: [rows.length] },
      channels: CHANNELS,
      staticFeatures: STATIC_FEATURES,
    }),
  );
}
