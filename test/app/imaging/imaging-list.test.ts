import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { imagingList } from "../../../app/imaging/imaging-list.ts";
import { KIND_CATEGORY } from "../../../shared/imaging/codes.ts";

const V2 = "http://terminology.hl7.org/CodeSystem/v2-0074";
const LOINC = "http://loinc.org";
const NO_AI = new Set<string>();

const report = (id: string, date: string, fields: object = {}) =>
  ({ resourceType: "DiagnosticReport", id, status: "final", code: { text: id }, effectiveDateTime: date, ...fields }) as Resource;
const inSection = (system: string, code: string) => ({ category: [{ coding: [{ system, code }] }] });
const study = (id: string, started?: string) => ({ resourceType: "ImagingStudy", id, status: "available", description: id, ...(started !== undefined && { started }) }) as Resource;

describe("imagingList: which reports", () => {
  it("lists studies and imaging reports, leaves Synthea's laboratory panels and notes out unsaid, and counts the uncoded", () => {
    const resources = [
      report("lipid-panel", "2024-05-01", inSection(V2, "LAB")),
      report("history-and-physical", "2024-05-01", inSection(LOINC, "34117-2")),
      report("knee-xr-report", "2024-04-02", inSection(V2, "RAD")),
      report("ct-report", "2024-04-01", inSection(LOINC, "LP29684-5")),
      report("mri-report", "2024-03-01", { imagingStudy: [{ reference: "ImagingStudy/mri" }] }),
      report("no-category", "2024-02-01"),
      report("local-category", "2024-02-01", inSection("urn:local", "XR")),
      study("knee-xr", "2024-04-02"),
      { resourceType: "Observation", id: "o1", status: "final", code: { text: "BMI" } } as Resource,
    ];
    const { items, uncodedReports } = imagingList(resources, NO_AI, "2025-01-01");
    expect(items.map((item) => `${item.kind} ${item.title}`)).toEqual(["Report knee-xr-report", "Study knee-xr", "Report ct-report", "Report mri-report"]);
    expect(uncodedReports).toBe(2);
  });

  it("lists an imaging AI result's report whatever its category, and does not count it as left out", () => {
    // Only the kind category: the reader finds the result by it (shared/imaging/read-results.ts).
    const aiReport = report("ai-kl", "2024-04-02", { category: [{ coding: [KIND_CATEGORY.kl] }] });
    expect(imagingList([aiReport], NO_AI, "2025-01-01")).toEqual({ items: [], uncodedReports: 1 });
    const { items, uncodedReports } = imagingList([aiReport], new Set(["DiagnosticReport/ai-kl"]), "2025-01-01");
    expect(items.map((item) => item.key)).toEqual(["DiagnosticReport/ai-kl"]);
    expect(uncodedReports).toBe(0);
  });
});

describe("imagingList: the index date", () => {
  const marked = (started: string | undefined, indexDate: string) => imagingList([study("s", started)], NO_AI, indexDate).items[0]?.afterIndexDate;

  it("marks an entry whose written date is after the index date, and none on or before it", () => {
    expect(marked("2024-03-02", "2024-03-01")).toBe(true);
    expect(marked("2024-03-01", "2024-03-01")).toBe(false);
    expect(marked("2024-02-29", "2024-03-01")).toBe(false);
  });

  it("compares the day the record writes: 21:36 at -04:00 on the index date is on it, though its UTC day is the next", () => {
    expect(marked("2024-03-01T21:36:00-04:00", "2024-03-01")).toBe(false);
    // 01:00 at +05:00 on 2 March is 20:00 UTC on 1 March: written after the index date, and never
    // before it by UTC either, so no rule of the risk counts it.
    expect(marked("2024-03-02T01:00:00+05:00", "2024-03-01")).toBe(true);
  });

  it("marks a year or a month only when its first day is after the index date; an undated entry never", () => {
    expect(marked("2024-03", "2024-03-01")).toBe(false);
    expect(marked("2024-04", "2024-03-01")).toBe(true);
    expect(marked("2024", "2024-03-01")).toBe(false);
    expect(marked("2025", "2024-03-01")).toBe(true);
    expect(marked(undefined, "2024-03-01")).toBe(false);
    expect(marked("2024-02-30", "2024-03-01")).toBe(false);
  });
});
