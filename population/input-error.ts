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
