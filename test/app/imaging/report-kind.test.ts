import { describe, expect, it } from "vitest";
import { reportKind } from "../../../app/imaging/report-kind.ts";
import { exampleResources, FINDINGS } from "../../support/imaging-examples.ts";

const V2 = "http://terminology.hl7.org/CodeSystem/v2-0074";
const LOINC = "http://loinc.org";
const report = (fields: object) => ({ resourceType: "DiagnosticReport", id: "r", status: "final", ...fields });
const category = (system: string, code: string) => ({ category: [{ coding: [{ system, code }] }] });

describe("reportKind", () => {
  it("is imaging for Radiology in HL7 table 0074 or US Core's LOINC category, or another imaging section", () => {
    expect(reportKind(report(category(V2, "RAD")))).toBe("imaging");
    expect(reportKind(report(category(LOINC, "LP29684-5")))).toBe("imaging");
    expect(reportKind(report(category(V2, "RX")))).toBe("imaging");
    expect(reportKind(report(category(V2, "NMR")))).toBe("imaging");
    // A second category beside the first: any one that says imaging is enough.
    expect(reportKind(report({ category: [{ coding: [{ system: V2, code: "OTH" }] }, { coding: [{ system: "urn:local", code: "x" }, { system: V2, code: "CT" }] }] }))).toBe("imaging");
  });

  it("is imaging for a report on an ImagingStudy, whatever its category says", () => {
    expect(reportKind(report({ imagingStudy: [{ reference: "ImagingStudy/s1" }] }))).toBe("imaging");
    expect(reportKind(report({ ...category(V2, "OTH"), imagingStudy: [{ reference: "ImagingStudy/s1" }] }))).toBe("imaging");
  });

  it("is other for Synthea's laboratory panels and notes: a category that names another service", () => {
    // Synthea's lipid panel (LOINC 57698-3) and its notes (LOINC note categories).
    expect(reportKind(report({ ...category(V2, "LAB"), code: { coding: [{ system: LOINC, code: "57698-3", display: "Lipid panel with direct LDL - Serum or Plasma" }] } }))).toBe("other");
    expect(reportKind(report({ category: [{ coding: [{ system: LOINC, code: "34117-2", display: "History and physical note" }, { system: LOINC, code: "51847-2" }] }] }))).toBe("other");
    expect(reportKind(report(category(LOINC, "LP29708-2")))).toBe("other");
  });

  it("reads a code only in its own system: RAD of another system or Radiology's LOINC code in table 0074 is not imaging", () => {
    expect(reportKind(report(category(LOINC, "RAD")))).toBe("other");
    expect(reportKind(report(category(V2, "LP29684-5")))).toBe("other");
    expect(reportKind(report(category("urn:local", "RAD")))).toBe("uncoded");
    expect(reportKind(report(category(V2, "rad")))).toBe("other");
  });

  it("is uncoded without a category of either system: none, text alone or a local code", () => {
    expect(reportKind(report({}))).toBe("uncoded");
    expect(reportKind(report({ category: [{ text: "Radiology" }] }))).toBe("uncoded");
    expect(reportKind(report(category("urn:oid:1.2.3", "XR")))).toBe("uncoded");
    // A coding without a code says nothing.
    expect(reportKind(report({ category: [{ coding: [{ system: V2 }] }] }))).toBe("uncoded");
  });

  it("reads malformed fields as absent, without throwing", () => {
    for (const fields of [
      { category: { coding: [{ system: V2, code: "RAD" }] } },
      { category: [null, "RAD", { coding: null }, { coding: [null, 7, { system: V2, code: 7 }] }] },
      { imagingStudy: "ImagingStudy/s1" },
      { imagingStudy: [null, "ImagingStudy/s1"] },
    ]) {
      expect(reportKind(report(fields))).toBe("uncoded");
    }
    expect(reportKind(null)).toBe("uncoded");
    expect(reportKind("DiagnosticReport")).toBe("uncoded");
  });

  it("is imaging for every kind of imaging AI report shared/imaging builds", () => {
    for (const findings of Object.values(FINDINGS)) {
      const reports = exampleResources(findings).filter((r) => r.resourceType === "DiagnosticReport");
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) expect(reportKind(r)).toBe("imaging");
    }
  });
});
