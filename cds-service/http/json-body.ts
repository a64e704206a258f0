/** POST bodies must be JSON (CDS Hooks sends application/json; FHIR JSON is accepted too). */
import { isUtf8 } from "node:buffer";
import express, { type RequestHandler } from "express";
import { HttpError } from "./operation-outcome.ts";

export const JSON_TYPES = ["application/json", "application/fhir+json"];

/** JSON between systems is UTF-8 (RFC 8259, section 8.1). body-parser would put U+FFFD in place
 * of bytes that are not, and a code or an id would change without a word: such a body is a 400.
 * (A `verify` makes body-parser keep the body as bytes and decode it once, afterwards; measured
 * no dearer than its chunk-by-chunk decoding for a 220 KiB body.) */
function refuseIfNotUtf8(_req: unknown, _res: unknown, bytes: Buffer): void {
  if (!isUtf8(bytes)) throw new HttpError(400, "structure", "Request body is not valid UTF-8");
}

/** Refuses non-JSON POSTs with 415, then parses with the configured size limit. */
export function jsonBody(limit: string): RequestHandler[] {
  return [
    (req, _res, next) => {
      if (req.method === "POST" && !req.is(JSON_TYPES)) {
        return next(new HttpError(415, "not-supported", "Content-Type must be application/json"));
      }
      next();
    },
    express.json({ limit, type: JSON_TYPES, verify: refuseIfNotUtf8 }),
  ];
}
