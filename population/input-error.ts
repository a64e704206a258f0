/** An error in the input data, naming the file (and line) so that the user can find it. */
export class PopulationInputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    detail: string,
  ) {
    super(`${line === null ? file : `${file}:${line}`}: ${detail}`);
    this.name = "PopulationInputError";
  }
}

/** Why a folder is no input at all: no file any reader reads. */
export const NO_INPUT_FILES = "no FHIR NDJSON (*.ndjson) or Bundle (*.json) files";

/** The error for an input path that cannot be read as a folder, saying why (from a failed
 * stat or readdir; `error` null: it exists and is not a folder). */
export function unreadableFolder(dir: string, error: unknown): PopulationInputError {
  const code = (error as { code?: unknown } | null)?.code;
  const why = code === "ENOENT" ? "no such folder" : code === "EACCES" ? "permission denied" : "not a directory";
  return new PopulationInputError(dir, null, why);
}
