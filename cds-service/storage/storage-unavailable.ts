/**
 * The database behind used JWT ids and feedback could not answer (down, unreachable, timed
 * out). Requests that need it fail closed: the error handler answers 503 with Retry-After, so a
 * replay check is never skipped and feedback is never silently dropped. Nothing is cached
 * about the failure: the next request tries the database again, so the service recovers by
 * itself when the database returns.
 */
export class StorageUnavailable extends Error {
  constructor(what: string, options?: { cause?: unknown }) {
    super(`storage unavailable: ${what}`, options);
    this.name = "StorageUnavailable";
  }
}
