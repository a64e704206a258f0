/**
 * The service's pino logger. Handlers log only chosen fields (never requests), and redaction
 * is a second line of defence should a token or a patient field ever reach a log call.
 */
import { pino, type Logger } from "pino";
import type { CdsConfig } from "./config.ts";

export function createLogger(level: CdsConfig["logLevel"]): Logger {
  return pino({
    level,
    base: { service: "patella-cds" },
    redact: {
      paths: ["authorization", "*.authorization", "headers", "*.headers", "access_token", "*.access_token", "token", "*.token", "name", "*.name", "birthDate", "*.birthDate", "identifier", "*.identifier"],
      censor: "[redacted]",
    },
  });
}
