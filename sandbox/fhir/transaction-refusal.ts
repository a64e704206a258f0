/** Why a whole transaction is refused (transaction.ts); nothing has been written. */
import type { SandboxIssueCode } from "./operation-outcome.ts";

export class Refusal extends Error {
  constructor(
    readonly status: 400 | 403 | 412,
    readonly code: SandboxIssueCode,
    message: string,
  ) {
    super(message);
  }
}
