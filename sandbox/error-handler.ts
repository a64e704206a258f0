/**
 * The sandbox's last error handler: unreadable bodies get a 4xx in the caller's language
 * (OperationOutcome under /fhir, OAuth error under /auth, JSON elsewhere), never Express's HTML
 * page with a stack trace; anything else is a 500 with no detail.
 */
import type { NextFunction, Request, Response } from "express";
import { outcome } from "./fhir/operation-outcome.ts";

export function sandboxErrorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const declared = (err as { status?: unknown }).status;
  const status = typeof declared === "number" && declared >= 400 && declared < 500 ? declared : 500;
  const message = status === 500 ? "unexpected sandbox error" : "the request body could not be read";
  if (status === 500) console.error(`sandbox: ${req.method} ${req.path} failed: ${(err as Error).message}`);
  if (req.path.startsWith("/fhir")) res.status(status).type("application/fhir+json").send(JSON.stringify(outcome("invalid", message)));
  else if (req.path.startsWith("/auth")) res.status(status).json({ error: "invalid_request", error_description: message });
  else res.status(status).json({ error: message });
}
