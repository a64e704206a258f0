import { describe, expect, it } from "vitest";
import { searchReportsError } from "../../shared/search-outcome.ts";

const outcome = (...severities: unknown[]) => ({ resource: { resourceType: "OperationOutcome", issue: severities.map((severity) => ({ severity, code: "processing" })) }, search: { mode: "outcome" } });
const page = (...entries: unknown[]) => ({ resourceType: "Bundle", type: "searchset", entry: [{ resource: { resourceType: "Condition", id: "c1" } }, ...entries] });

describe("searchReportsError", () => {
  it("is true for an OperationOutcome entry with an issue of severity error or fatal, among others", () => {
    expect(searchReportsError(page(outcome("error")))).toBe(true);
    expect(searchReportsError(page(outcome("information", "fatal")))).toBe(true);
    expect(searchReportsError(page(outcome("warning"), outcome("error")))).toBe(true);
  });

  it("is false for warnings and information, other resources, and shapes that hold no such issue", () => {
    expect(searchReportsError(page())).toBe(false);
    expect(searchReportsError(page(outcome("warning", "information")))).toBe(false);
    expect(searchReportsError(page({ resource: { resourceType: "Condition", issue: [{ severity: "error" }] } }))).toBe(false);
    expect(searchReportsError(page({ resource: { resourceType: "OperationOutcome", issue: "error" } }, null, "x", { resource: null }))).toBe(false);
    expect(searchReportsError(page(outcome("ERROR", null, 3)))).toBe(false);
    expect(searchReportsError({ resourceType: "Bundle", entry: "not an array" })).toBe(false);
    expect(searchReportsError(null)).toBe(false);
    expect(searchReportsError([outcome("error")])).toBe(false);
  });
});
