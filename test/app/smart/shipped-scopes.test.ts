/**
 * The runtime config the app ships (app/public/patella-app.json, which the sandbox serves with
 * only its own FHIR server swapped in) asks for every type the app queries: a type left out is
 * never granted, and the app would say "not granted" for it on every launch.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RECORD_QUERIES } from "../../../app/data/record-queries.ts";
import { scopeGrant } from "../../../app/smart/granted-scopes.ts";

const shipped = JSON.parse(readFileSync(new URL("../../../app/public/patella-app.json", import.meta.url), "utf8")) as { scopes: string[] };
const asked = shipped.scopes.join(" ");

describe("the shipped patella-app.json", () => {
  it("asks for all of every type the app's queries read, the procedures behind the knee-replacement caveat included", () => {
    const notAsked = RECORD_QUERIES.filter((q) => scopeGrant(asked, q.resourceType, q.kind) !== "all").map((q) => `${q.key} (${q.resourceType})`);
    expect(notAsked).toEqual([]);
  });
});
