/**
 * readImagingResults against what a sloppy or hostile FHIR server could return: withdrawn
 * values, another patient's resources, impossible dates, enormous strings, duplicated
 * components, and Endpoint addresses that would rewrite a viewer link. Each makes the result
 * invalid with a reason (so the app shows none of its numbers) or gives no link.
 */
import type { Device, DiagnosticReport, Endpoint, ImagingStudy, Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { deviceIdOf } from "../../../shared/imaging/algorithms.ts";
import { buildDevice } from "../../../shared/imaging/build-resources.ts";
import { readImagingResults, studyViewerUrls } from "../../../shared/imaging/read-results.ts";
import { recentKneeOaGrade } from "../../../shared/imaging/recent-kl.ts";
import { viewerUrlOf } from "../../../shared/imaging/viewer-url.ts";
import { FINDINGS, STUDY_UID, editedResources, exampleResources } from "../../support/imaging-examples.ts";

function readOne(resources: Resource[], template?: string) {
  const reading = readImagingResults(resources, template === undefined ? {} : { viewerUrlTemplate: template });
  expect(reading.results).toHaveLength(1);
  return reading.results[0]!;
}

describe("withdrawn values", () => {
  it("an Observation entered in error or cancelled makes its report invalid instead of showing its grade", () => {
    for (const status of ["entered-in-error", "cancelled"] as const) {
      const r = readOne(editedResources<Observation>(exampleResources(FINDINGS.kl), "Observation", (o, i) => i === 1 && (o.status = status)));
      expect(r.problems).toEqual([`Observation/ex-kl-o2 is ${status}`]);
    }
  });

  it("a cancelled report is invalid, as one entered in error is", () => {
    const r = readOne(editedResources<DiagnosticReport>(exampleResources(FINDINGS.kl), "DiagnosticReport", (d) => (d.status = "cancelled")));
    expect(r.problems).toEqual(["the report was cancelled"]);
  });
});

describe("another patient's resources", () => {
  it("an Observation about another patient than its report makes the report invalid", () => {
    const r = readOne(editedResources<Observation>(exampleResources(FINDINGS.kl), "Observation", (o, i) => i === 0 && (o.subject = { reference: "Patient/p2" })));
    expect(r.problems).toEqual(["Observation/ex-kl-o1 is about another patient than the report"]);
  });

  it("a source ImagingStudy of another patient makes the report invalid", () => {
    const r = readOne(editedResources<ImagingStudy>(exampleResources(FINDINGS.kl), "ImagingStudy", (s) => (s.subject = { reference: "Patient/p2" })));
    expect(r.problems).toEqual(["ImagingStudy/study-1 is about another patient than the report"]);
  });

  it("a report that names no patient is invalid", () => {
    const r = readOne(editedResources<DiagnosticReport>(exampleResources(FINDINGS.kl), "DiagnosticReport", (d) => delete d.subject));
    expect(r.problems).toEqual(["the report names no patient"]);
  });

  it("the same patient written as an absolute reference is the same patient", () => {
    const r = readOne(editedResources<Observation>(exampleResources(FINDINGS.kl), "Observation", (o) => (o.subject = { reference: "https://ehr.example.org/fhir/Patient/p1" })));
    expect(r.problems).toEqual([]);
  });
});

describe("dates", () => {
  it("a report date that does not exist makes the result invalid and is not shown as a date", () => {
    for (const issued of ["2025-13-45T10:00:00Z", "2025-02-30", "yesterday"]) {
      const r = readOne(editedResources<DiagnosticReport>(exampleResources(FINDINGS.kl), "DiagnosticReport", (d) => (d.issued = issued)));
      expect([r.issued, r.problems]).toEqual([null, ["the report's issued date is not a FHIR date"]]);
    }
    const study = readOne(editedResources<DiagnosticReport>(exampleResources(FINDINGS.kl), "DiagnosticReport", (d) => (d.effectiveDateTime = "2025-00-01")));
    expect([study.studyDate, study.problems]).toEqual([null, ["the report's effective date is not a FHIR date"]]);
  });

  it("a KL grade dated on a day that does not exist gives no knee OA caveat", () => {
    const observations = exampleResources({ kind: "kl", knees: [{ side: "left", grade: 3 }] }).filter((r): r is Observation => r.resourceType === "Observation");
    expect(recentKneeOaGrade(observations.map((o) => ({ ...o, effectiveDateTime: "2025-02-28" })), "2025-06-01")).toEqual({ grade: 3, side: "left", date: "2025-02-28" });
    expect(recentKneeOaGrade(observations.map((o) => ({ ...o, effectiveDateTime: "2025-02-30" })), "2025-06-01")).toBeNull();
  });
});

describe("enormous strings", () => {
  it("an algorithm version or manufacturer far longer than any makes the result invalid, and a problem quotes no more than 64 characters", () => {
    const long = "9".repeat(100_000);
    const version = readOne(editedResources<Device>(exampleResources(FINDINGS.kl), "Device", (d) => (d.version = [{ value: long }])));
    expect(version.problems).toEqual(["the algorithm Device's version is longer than 64 characters"]);
    const maker = readOne(editedResources<Device>(exampleResources(FINDINGS.kl), "Device", (d) => (d.manufacturer = long)));
    expect(maker.problems).toEqual(["the algorithm Device's manufacturer is longer than 64 characters"]);
    const name = readOne(exampleResources(FINDINGS.kl, { algorithmName: "K".repeat(100_000) }));
    expect(name.problems).toEqual([`unknown algorithm "${"K".repeat(64)}…" for this kind of result`]);
    expect(name.algorithm.name).toBeUndefined();
  });

  it("a reconstructed series description far longer than any makes the result invalid", () => {
    const r = readOne(editedResources<ImagingStudy>(exampleResources(FINDINGS.deepresolve), "ImagingStudy", (s) => s.series !== undefined && (s.series[0]!.description = "d".repeat(10_000))));
    expect(r.problems).toEqual(["the reconstructed series description is longer than 64 characters"]);
  });

  it("a reconstructed series with more slices, or thicker or thinner ones, than a knee MRI can have makes the result invalid", () => {
    const series = (sliceCount: number, thickness: number) =>
      readOne(editedResources<ImagingStudy>(exampleResources(FINDINGS.deepresolve), "ImagingStudy", (s) => {
        if (s.series === undefined) return;
        s.series[0]!.numberOfInstances = sliceCount;
        s.series[0]!.extension![0]!.valueQuantity!.value = thickness;
      }));
    // The bounds themselves are plausible: 200 mm at 0.1 mm, and 10 mm slices.
    expect(series(2000, 0.1).problems).toEqual([]);
    expect(series(40, 10).problems).toEqual([]);
    expect(series(2001, 0.7).problems).toEqual(["the reconstructed series has 2001 slices; a knee MRI series has 1-2000"]);
    expect(series(1e12, 0.7).problems).toEqual(["the reconstructed series has 1000000000000 slices; a knee MRI series has 1-2000"]);
    expect(series(160, 10.5).problems).toEqual(["the reconstructed series' slices are 10.5 mm thick; a knee MRI slice is 0.1-10 mm"]);
    expect(series(160, 0.01).problems).toEqual(["the reconstructed series' slices are 0.01 mm thick; a knee MRI slice is 0.1-10 mm"]);
  });
});

describe("duplicated values", () => {
  it("a CSAE class with two probability components makes the result invalid instead of showing the first", () => {
    const r = readOne(editedResources<Observation>(exampleResources(FINDINGS.csae), "Observation", (o) => o.component!.push({ ...structuredClone(o.component![0]!), valueQuantity: { value: 0.01, unit: "1", system: "http://unitsofmeasure.org", code: "1" } })));
    expect(r.problems).toEqual(["Probability of rheumatoid arthritis is given 2 times"]);
  });

  it("two algorithm versions that differ only in punctuation get two Devices, not one whose version is the other's", () => {
    const a = { name: "Knee KL grader", version: "1.0 beta", manufacturer: "Example AI Inc." };
    const b = { ...a, version: "1.0-beta" };
    expect(deviceIdOf(a)).not.toBe(deviceIdOf(b));
    const long = (v: string) => ({ ...a, version: `${"1.".repeat(40)}${v}` });
    expect(deviceIdOf(long("1"))).not.toBe(deviceIdOf(long("2")));
    expect(deviceIdOf(long("1"))).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(buildDevice(a).id).toBe(deviceIdOf(a));
  });
});

describe("viewer links from a FHIR Endpoint", () => {
  const TEMPLATE = "https://viewer.example.org/viewer?url={wadoRsBase}&StudyInstanceUIDs={studyUid}";
  /** The example KL result whose source study names an Endpoint at `address`. */
  function withEndpoint(address: string): Resource[] {
    const endpoint: Endpoint = { resourceType: "Endpoint", id: "pacs", status: "active", connectionType: { code: "dicom-wado-rs" }, payloadType: [{ text: "DICOM" }], address };
    return [...editedResources<ImagingStudy>(exampleResources(FINDINGS.kl), "ImagingStudy", (s) => (s.endpoint = [{ reference: "Endpoint/pacs" }])), endpoint];
  }

  it("encodes the Endpoint address inside a template's query, so it cannot add parameters", () => {
    const r = readOne(withEndpoint("https://pacs.example.org/wado&StudyInstanceUIDs=9.9.9"), TEMPLATE);
    expect(r.viewerUrl).toBe(`https://viewer.example.org/viewer?url=${encodeURIComponent("https://pacs.example.org/wado&StudyInstanceUIDs=9.9.9")}&StudyInstanceUIDs=${STUDY_UID}`);
  });

  it("gives no link for an Endpoint address that is not an http(s) URL", () => {
    expect(readOne(withEndpoint("javascript:alert(1)//"), TEMPLATE).viewerUrl).toBeNull();
    expect(readOne(withEndpoint("data:text/html,<script>alert(1)</script>"), "{wadoRsBase}/studies/{studyUid}").viewerUrl).toBeNull();
  });

  it("keeps an Endpoint address at the start of a template as the link's base only on one of the site's image servers, over TLS", () => {
    const atStart = "{wadoRsBase}/studies/{studyUid}";
    const link = (address: string, imageOrigins?: readonly string[]) =>
      readImagingResults(withEndpoint(address), { viewerUrlTemplate: atStart, ...(imageOrigins && { imageOrigins }) }).results[0]!.viewerUrl;
    expect(link("https://pacs.example.org/dicomweb/", ["https://pacs.example.org"])).toBe(`https://pacs.example.org/dicomweb/studies/${STUDY_UID}`);
    // An Endpoint anyone who may write one could point anywhere: no link there.
    expect(link("https://attacker.example/phish?next=", ["https://pacs.example.org"])).toBeNull();
    expect(link("https://pacs.example.org/dicomweb/")).toBeNull();
    // The site's server in plain http from another machine: no link either.
    expect(link("http://pacs.example.org/dicomweb/", ["http://pacs.example.org"])).toBeNull();
    // The study list's links follow the same rule.
    const studies = (address: string) => [...studyViewerUrls(withEndpoint(address), { viewerUrlTemplate: atStart, imageOrigins: ["https://pacs.example.org"] }).values()];
    expect(studies("https://pacs.example.org/dicomweb")).toEqual([`https://pacs.example.org/dicomweb/studies/${STUDY_UID}`]);
    expect(studies("https://attacker.example/phish?next=")).toEqual([]);
  });

  it("only http(s) URLs with a host become links", () => {
    const target = { studyUid: "1.2.3", seriesUid: null, wadoRsBase: null };
    expect(viewerUrlOf("https:{studyUid}", target)).toBeNull();
    expect(viewerUrlOf("https:///{studyUid}", target)).toBeNull();
    expect(viewerUrlOf("HTTPS://viewer.example.org/{studyUid}", target)).toBe("HTTPS://viewer.example.org/1.2.3");
  });
});
