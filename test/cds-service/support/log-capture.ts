/** The service's own logger (redaction and error serializer included), writing lines a test can read back. */
import { Writable } from "node:stream";
import type { Logger } from "pino";
import { createLogger } from "../../../cds-service/logger.ts";

export interface CapturedLog {
  logger: Logger;
  /** Every line written so far, as text. */
  text(): string;
  /** Every line written so far, parsed. */
  entries(): Record<string, unknown>[];
}

export function captureLog(level: "debug" | "info" = "debug"): CapturedLog {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  return {
    logger: createLogger(level, sink),
    text: () => lines.join(""),
    entries: () => lines.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
