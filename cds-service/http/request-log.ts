/**
 * One structured log line per request: method, path, status, duration, and whatever the
 * handlers put in res.locals.logFields (hookInstance, timings). Headers, bodies and query
 * strings are never logged: they carry tokens and patient data.
 */
import type { RequestHandler } from "express";
import type { Logger } from "pino";

export type LogFields = Record<string, string | number | boolean | Record<string, string | number>>;

/** Adds fields to this request's log line. */
export function addLogFields(locals: Record<string, unknown>, fields: LogFields): void {
  locals.logFields = { ...(locals.logFields as LogFields | undefined), ...fields };
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      const durationMs = Number(process.hrtime.bigint() - start) / 1e6;
      logger.info(
        {
          method: req.method,
          path: (req.originalUrl.split("?")[0] ?? "").slice(0, 200),
          status: res.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
          ...(res.locals.logFields as LogFields | undefined),
        },
        "request",
      );
    });
    next();
  };
}
