import { createHash } from "node:crypto";

/**
 * How a Bundle file is named in the counts a run stores and reports (summary.html, the checkpoint):
 * never by its name, which may hold a patient's name (Synthea writes Given_Family_<uuid>.json),
 * but by the start of its name's SHA-256, which finds it in the folder (population/README.md). An
 * error that stops the read names the file: it goes to the operator's terminal, not to a file.
 */
export function bundleFileLabel(name: string): string {
  return `Bundle file whose name's SHA-256 begins ${createHash("sha256").update(name).digest("hex").slice(0, 12)}`;
}
