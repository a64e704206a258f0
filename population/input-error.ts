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
