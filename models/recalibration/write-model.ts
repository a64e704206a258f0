/**
 * Writes the recalibrated model: the original ONNX with the recalibration appended after the
 * network (append_calibration.py, with Debian's python3-onnx, as training uses) and metadata
 * saying on what, when and how it was recalibrated.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openOwnerOnly, writeFileOwnerOnly } from "../../population/owner-only-files.ts";
import type { RiskModelInfo } from "../../shared/inference/index.ts";
import type { SplitCounts } from "./recalibrate.ts";
import type { Recalibration } from "./recalibration-fit.ts";

const PYTHON = "/usr/bin/python3";
const SCRIPT = path.join(import.meta.dirname, "append_calibration.py");

export interface RecalibrationProvenance {
  /** The cohort directory's name (no path: it may name a site's machine layout). */
  cohort: string;
  fit: SplitCounts;
  at: Date;
}

/** The metadata entries the recalibrated model gets (others are kept from the original). */
export function recalibrationMetadata(base: RiskModelInfo, baseBytes: Uint8Array, r: Recalibration, provenance: RecalibrationProvenance): Record<string, string> {
  const day = provenance.at.toISOString().slice(0, 10);
  return {
    model_version: `${base.version}+recalibrated.${day}`,
    recalibrated_at: provenance.at.toISOString(),
    recalibration: JSON.stringify({
      ...r,
      fittedOn: { cohort: provenance.cohort, ...provenance.fit },
      baseModel: { name: base.name, version: base.version, sha256: createHash("sha256").update(baseBytes).digest("hex") },
      note: "network unchanged; only the mapping from its output to the risk was refitted",
    }),
  };
}

/**
 * Owner-only, as everything fitted on a site's patients: the model goes first to `target`.partial,
 * created 0600 before the script writes into it (it truncates the file, keeping its mode), and is
 * renamed to `target` once complete, so that a failed run leaves an earlier model there as it was.
 */
export function writeRecalibratedModel(source: string, target: string, r: Recalibration, metadata: Record<string, string>): void {
  const spec = path.join(tmpdir(), `patella-recal-${process.pid}-${Date.now()}.json`);
  const partial = `${target}.partial`;
  writeFileOwnerOnly(spec, JSON.stringify({ ...r, metadata }));
  try {
    closeSync(openOwnerOnly(partial));
    const run = spawnSync(PYTHON, [SCRIPT, source, partial, spec], { encoding: "utf8" });
    if (run.error !== undefined) throw new Error(`${PYTHON}: ${run.error.message} (install python3-onnx: apt-get install python3-onnx)`);
    if (run.status !== 0) throw new Error(`append_calibration.py failed: ${run.stderr.trim().split("\n").at(-1) ?? "no message"}`);
    renameSync(partial, target);
  } finally {
    rmSync(spec, { force: true });
    rmSync(partial, { force: true });
  }
}
