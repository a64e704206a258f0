/**
 * Every error leaves the service as a FHIR OperationOutcome; HttpError carries the status and
 * the outcome's issue code from wherever the problem is found to the one error handler.
 */
import type { OperationOutcome } from "fhir/r4";

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
  | "exception"
  | "transient"
  | "conflict"
  | "not-supported";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function operationOutcome(code: IssueCode, diagnostics: string, severity: "error" | "fatal" = "error"): OperationOutcome {
  return { resourceType: "OperationOutcome", issue: [{ severity, code, diagnostics }] };
}
