/** POST bodies must be JSON (CDS Hooks sends application/json; FHIR JSON is accepted too). */
import express, { type RequestHandler } from "express";
import { HttpError } from "./operation-outcome.ts";

export const JSON_TYPES = ["application/json", "application/fhir+json"];

/** Refuses non-JSON POSTs with 415, then parses with the configured size limit. */
export function jsonBody(limit: string): RequestHandler[] {
  return [
    (req, _res, next) => {
      if (req.method === "POST" && !req.is(JSON_TYPES)) {
        return next(new HttpError(415, "not-supported", "Content-Type must be application/json"));
      }
      next();
    },
    express.json({ limit, type: JSON_TYPES }),
  ];
}
