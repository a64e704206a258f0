/** Errors of the sandbox FHIR server, as FHIR OperationOutcomes. */
import type { OperationOutcome } from "fhir/r4";

export type SandboxIssueCode = "security" | "login" | "forbidden" | "not-found" | "not-supported" | "transient" | "invalid";

export function outcome(code: SandboxIssueCode, diagnostics: string): OperationOutcome {
  return { resourceType: "OperationOutcome", issue: [{ severity: "error", code, diagnostics }] };
}
