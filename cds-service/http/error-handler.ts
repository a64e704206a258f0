/**
 * The last middleware: every error becomes a JSON OperationOutcome with a fitting status.
 * body-parser's errors (too large, malformed JSON, bad charset) are client errors; anything
 * unexpected is a 500 whose details go to the log, not to the caller.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { StorageUnavailable } from "../storage/storage-unavailable.ts";
import { HttpError, type IssueCode, operationOutcome } from "./operation-outcome.ts";
import { addLogFields } from "./request-log.ts";

const FHIR_JSON = "application/fhir+json";
/** Seconds an EHR is asked to wait when the database is down (it usually returns within that). */
const STORAGE_RETRY_AFTER_S = 5;

/** body-parser error types and what the caller is told about them. */
const BODY_ERRORS: Record<string, { status: number; code: IssueCode; message: string }> = {
  "entity.too.large": { status: 413, code: "too-costly", message: "Request body is larger than the service accepts" },
  "entity.parse.failed": { status: 400, code: "structure", message: "Request body is not valid JSON" },
  "entity.verify.failed": { status: 400, code: "structure", message: "Request body could not be verified" },
  "encoding.unsupported": { status: 415, code: "not-supported", message: "Content-Encoding not supported" },
  "charset.unsupported": { status: 415, code: "not-supported", message: "Charset not supported" },
  "request.aborted": { status: 400, code: "incomplete", message: "Request aborted" },
  "request.size.invalid": { status: 400, code: "structure", message: "Request size did not match Content-Length" },
  "stream.encoding.set": { status: 500, code: "exception", message: "Internal error" },
};

export function sendOutcome(res: Parameters<RequestHandler>[1], status: number, code: IssueCode, message: string): void {
  // A handler that refused a presented token has set its own challenge (require-ehr-jwt.ts).
  if (status === 401 && res.get("WWW-Authenticate") === undefined) res.set("WWW-Authenticate", 'Bearer realm="cds-services"');
  res.status(status).type(FHIR_JSON).send(JSON.stringify(operationOutcome(code, message)));
}

/** A path that exists, asked with a method it does not answer: 405 with the methods it does (RFC 9110, section 15.5.6). */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (req, res) => {
    res.set("Allow", allowed.join(", "));
    sendOutcome(res, 405, "not-supported", `${req.method} is not supported here; use ${allowed.join(" or ")}`);
  };
}

export function notFound(): RequestHandler {
  return (req, res) => sendOutcome(res, 404, "not-found", `No ${req.method} handler for this path`);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof HttpError) {
      // The reason goes to the request's log line: a 400 or 412 must be explainable from the log.
      // Messages name fields and keys, never their values.
      addLogFields(res.locals, { reason: err.message, ...err.logFields });
      return sendOutcome(res, err.status, err.code, err.message);
    }
    if (err instanceof StorageUnavailable) {
      // Only the driver's error code: its message can quote the values of the failed statement.
      logger.error({ reason: err.message, code: (err.cause as { code?: unknown } | undefined)?.code, path: req.path }, "storage unavailable");
      res.set("Retry-After", String(STORAGE_RETRY_AFTER_S));
      return sendOutcome(res, 503, "transient", "The service's database is unavailable; try again shortly");
    }
    const type = (err as { type?: unknown })?.type;
    const known = typeof type === "string" ? BODY_ERRORS[type] : undefined;
    if (known) {
      addLogFields(res.locals, { reason: known.message });
      return sendOutcome(res, known.status, known.code, known.message);
    }
    const status = (err as { status?: unknown })?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return sendOutcome(res, status, "invalid", "Bad request");
    }
    logger.error({ err, path: req.path }, "unhandled error");
    sendOutcome(res, 500, "exception", "Internal error");
  };
}
