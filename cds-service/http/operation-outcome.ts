/**
 * Every error leaves the service as a FHIR OperationOutcome; HttpError carries the status and
 * the outcome's issue code from wherever the problem is found to the one error handler.
 */
import type { OperationOutcome } from "fhir/r4";
import type { LogFields } from "./request-log.ts";

export type IssueCode =
  | "invalid"
  | "structure"
  | "required"
  | "not-found"
  | "security"
  | "login"
  | "too-costly"
  | "throttled"
  | "incomplete"
  | "timeout"
  | "transient"
  | "exception"
  | "transient"
  | "conflict"
  | "not-supported";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
    /** Added to the request's log line with the message (e.g. how each prefetch key was satisfied). */
    readonly logFields: LogFields = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function operationOutcome(code: IssueCode, diagnostics: string, severity: "error" | "fatal" = "error"): OperationOutcome {
  return { resourceType: "OperationOutcome", issue: [{ severity, code, diagnostics }] };
}
