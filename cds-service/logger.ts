/**
 * The service's pino logger. Handlers log only chosen fields (never requests), and redaction
 * is a second line of defence should a token or a patient field ever reach a log call.
 */
import { pino, type DestinationStream, type Logger } from "pino";
import type { CdsConfig } from "./config.ts";

/** Absolute URLs, query strings and FHIR relative references ("Patient/123"): they name patients. */
const URL_LIKE = [/\b[a-z][a-z0-9+.-]*:\/\/\S*/gi, /\?\S*/g, /\b[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}/g];

export function scrubUrls(text: string): string {
  return URL_LIKE.reduce((t, pattern) => t.replace(pattern, "[url]"), text);
}

/**
 * Errors as they are logged: type, code, and message and stack with URLs removed. pino's own
 * serializer copies every property, and errors carry request URLs in them (URL's `input`,
 * fetch's `cause`), which carry patient ids, names and birth dates in their query strings.
 */
export function safeError(err: unknown): Record<string, string> {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    ...(typeof code === "string" ? { code } : {}),
    message: scrubUrls(err.message),
    ...(err.stack ? { stack: scrubUrls(err.stack) } : {}),
    ...(err.cause instanceof Error ? { cause: err.cause.name } : {}),
  };
}

export function createLogger(level: CdsConfig["logLevel"], destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "patella-cds" },
    serializers: { err: safeError },
    redact: {
      paths: ["authorization", "*.authorization", "headers", "*.headers", "access_token", "*.access_token", "token", "*.token", "name", "*.name", "birthDate", "*.birthDate", "identifier", "*.identifier"],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
