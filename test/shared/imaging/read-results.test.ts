import type { DiagnosticReport, Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { LATERALITY_EXTENSION } from "../../../shared/imaging/codes.ts";
import { groupByKind, readImagingResults } from "../../../shared/imaging/read-results.ts";
import { SVH_SITES, SVH_TOTAL_MAX, svhSitesFor } from "../../../shared/imaging/svh-sites.ts";
import { FINDINGS, STUDY_UID, exampleResources } from "../../support/imaging-examples.ts";

function readOne(resources: Resource[], template?: string) {
  const reading = readImagingResults(resources, template === undefined ? {} : { viewerUrlTemplate: template });
  expect(reading.results).toHaveLength(1);
  return reading.results[0]!;
}

/** The resources with one Observation changed by `edit` (the n-th result Observation). */
function editObservation(resources: Resource[], n: number, edit: (o: Observation) => void): Resource[] {
  const copy = structuredClone(resources);
  const obs = copy.filter((r): r is Observation => r.resourceType === "Observation");
  edit(obs[n]!);
  return copy;
}

describe("SvH site table", () => {
  it("has 16 erosion and 15 narrowing sites per hand, 6 and 6 per foot, and totals 280, 168, 448", () => {
    expect(svhSitesFor("hand", "erosion")).toHaveLength(16);
    expect(svhSitesFor("hand", "narrowing")).toHaveLength(15);
    expect(svhSitesFor("foot", "erosion")).toHaveLength(6);
    expect(svhSitesFor("foot", "narrowing")).toHaveLength(6);
    expect(new Set(SVH_SITES.map((s) => s.code)).size).toBe(SVH_SITES.length);
    expect(SVH_TOTAL_MAX).toEqual({ erosion: 280, narrowing: 168, total: 448 });
  });
});

describe("readImagingResults: valid results", () => {
  it("reads a KL grade per knee with the algorithm and a viewer link", () => {
    const r = readOne(exampleResources(FINDINGS.kl), "https://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}");
    expect(r.problems).toEqual([]);
    expect(r.kind === "kl" && r.knees).toEqual([{ side: "left", grade: 1 }, { side: "right", grade: 3 }]);
    expect(r.algorithm).toEqual({ name: "Knee KL grader", version: "1.2.0", manufacturer: "Example AI Inc.", known: true });
    expect(r.viewerUrl).toBe(`https://viewer.example.org/viewer?StudyInstanceUIDs=${STUDY_UID}`);
    expect(r.issued).toBe("2025-03-02T10:00:00Z");
  });

  it("reads SvH joints and recomputes the totals (3 + 7 erosion, 2 narrowing)", () => {
    const r = readOne(exampleResources(FINDINGS.svh));
    expect(r.problems).toEqual([]);
    if (r.kind !== "svh") throw new Error("not svh");
    expect(r.totals).toEqual({ erosion: 10, narrowing: 2, total: 12 });
    expect(r.reportedTotals).toEqual({ erosion: 10, narrowing: 2, total: 12 });
    expect(r.joints).toContainEqual({ site: "foot-mtp5", side: "right", measure: "erosion", score: 7 });
  });

  it("accepts every site at its maximum: 280 + 168 = 448", () => {
    const joints = SVH_SITES.flatMap((site) =>
      site.measures.flatMap((measure) =>
        (["left", "right"] as const).map((side) => ({ site: site.code, side, measure, score: site.region === "foot" && measure === "erosion" ? 10 : measure === "erosion" ? 5 : 4 })),
      ),
    );
    const r = readOne(exampleResources({ kind: "svh", joints, totals: { erosion: 280, narrowing: 168, total: 448 } }));
    expect(r.problems).toEqual([]);
  });

  it("reads the CSAE class, its probabilities and the heat map", () => {
    const r = readOne(exampleResources(FINDINGS.csae));
    expect(r.problems).toEqual([]);
    if (r.kind !== "csae") throw new Error("not csae");
    expect(r.predicted).toBe("ra");
    expect(r.probabilities).toEqual({ ra: 0.62, psa: 0.25, healthy: 0.13 });
    // Neither the FHIR server nor a viewer is named here: no site of the heat map's is known to be the site's own.
    expect(r.heatMap).toEqual({
      url: "https://images.example.org/heat/1.png",
      contentType: "image/png",
      notLinked: "it is stored on https://images.example.org, which is neither one of the site's image servers nor the image viewer's",
    });
  });

  it("reads the DeepResolve series, its source series from the Provenance and links to the new series", () => {
    const r = readOne(exampleResources(FINDINGS.deepresolve), "https://pacs.example.org/wado/studies/{studyUid}/series/{seriesUid}");
    expect(r.problems).toEqual([]);
    if (r.kind !== "deepresolve") throw new Error("not deepresolve");
    expect(r.series).toEqual(FINDINGS.deepresolve.series);
    expect(r.sourceSeriesUid).toBe("1.2.826.0.1.3680043.8.498.2");
    expect(r.viewerUrl).toBe(`https://pacs.example.org/wado/studies/${STUDY_UID}/series/1.2.826.0.1.3680043.8.498.3`);
  });

  it("groups by kind, newest first, and ignores other DiagnosticReports", () => {
    const older = exampleResources(FINDINGS.kl, { idPrefix: "old", issued: "2024-01-01T00:00:00Z" });
    const newer = exampleResources(FINDINGS.kl, { idPrefix: "new", issued: "2025-06-01T00:00:00Z" });
    const other: DiagnosticReport = { resourceType: "DiagnosticReport", id: "lab", status: "final", code: { text: "CBC" } };
    const reading = readImagingResults([...older, ...newer, ...exampleResources(FINDINGS.csae), other]);
    const groups = groupByKind(reading.results);
    expect(groups.map((g) => g.kind)).toEqual(["kl", "csae"]);
    expect(groups[0]!.results.map((r) => r.reportId)).toEqual(["new-report", "old-report"]);
  });

  it("puts the newest first by the instant, whatever the time zone or precision, and undated ones last", () => {
    // 10:00 at +05:00 is 05:00 UTC: an hour before 06:00 UTC, though its text sorts after it.
    const issued = { east: "2025-03-02T10:00:00+05:00", utc: "2025-03-02T06:00:00Z", month: "2025-03", year: "2025", bad: "2025-02-30" };
    const resources = Object.entries(issued).flatMap(([idPrefix, date]) => exampleResources(FINDINGS.kl, { idPrefix, issued: date }));
    // A report with neither date is undated ("2025-02-30" is no date, and the examples give every report a study date).
    const undated = resources.map((r) => (r.resourceType === "DiagnosticReport" && r.id === "bad-report" ? { ...r, effectiveDateTime: undefined } : r));
    expect(readImagingResults(undated).results.map((r) => r.reportId)).toEqual(["utc-report", "east-report", "month-report", "year-report", "bad-report"]);
  });
});

describe("readImagingResults: invalid results carry problems and never throw", () => {
  it("KL grade out of range", () => {
    const r = readOne(editObservation(exampleResources(FINDINGS.kl), 1, (o) => (o.valueInteger = 5)));
    expect(r.problems).toEqual(["Observation/ex-kl-o2: KL grade must be an integer 0-4"]);
  });

  it("KL grade without laterality", () => {
    const r = readOne(editObservation(exampleResources(FINDINGS.kl), 0, (o) => delete o.bodySite!.extension));
    expect(r.problems).toEqual(["Observation/ex-kl-o1: a KL grade needs a knee and its laterality"]);
  });

  it("SvH hand erosion above 5 and a foot erosion of 10 (allowed)", () => {
    const resources = editObservation(exampleResources(FINDINGS.svh), 0, (o) => (o.valueInteger = 6));
    const r = readOne(editObservation(resources, 1, (o) => (o.valueInteger = 10)));
    expect(r.problems).toContain("left hand MCP 2 erosion must be an integer 0-5");
    expect(r.problems.some((p) => p.includes("foot"))).toBe(false);
  });

  it("SvH narrowing at a site that has only erosion", () => {
    const r = readOne(exampleResources({ kind: "svh", joints: [{ site: "hand-ulna", side: "left", measure: "narrowing", score: 1 }], totals: { erosion: 0, narrowing: 1, total: 1 } }));
    expect(r.problems[0]).toMatch(/not an SvH narrowing site with laterality/);
  });

  it("SvH totals that do not add up", () => {
    const r = readOne(exampleResources({ ...FINDINGS.svh, totals: { erosion: 11, narrowing: 2, total: 13 } }));
    expect(r.problems).toEqual([
      "reported erosion total 11 does not match 10, the sum of the joint scores",
      "reported total total 13 does not match 12, the sum of the joint scores",
    ]);
  });

  it("CSAE probabilities that do not sum to 1, but rounding within 0.01 passes", () => {
    const bad = readOne(exampleResources({ ...FINDINGS.csae, probabilities: { ra: 0.62, psa: 0.3, healthy: 0.13 } }));
    expect(bad.problems).toEqual(["the class probabilities sum to 1.050, not 1"]);
    const rounded = readOne(exampleResources({ ...FINDINGS.csae, probabilities: { ra: 0.33, psa: 0.33, healthy: 0.33 }, predicted: "ra" }));
    expect(rounded.problems).toEqual([]);
  });

  it("CSAE predicted class that is not the most probable", () => {
    const r = readOne(exampleResources({ ...FINDINGS.csae, predicted: "healthy" }));
    expect(r.problems).toEqual(["the predicted class is not the most probable one"]);
  });

  it("missing references: source study, a result Observation, the Provenance", () => {
    const noStudy = exampleResources(FINDINGS.kl).filter((r) => r.id !== "study-1");
    expect(readOne(noStudy).problems).toContain("source ImagingStudy ImagingStudy/study-1 is missing");
    const noObs = exampleResources(FINDINGS.kl).filter((r) => r.id !== "ex-kl-o2");
    expect(readOne(noObs).problems).toEqual(["result Observation Observation/ex-kl-o2 is missing"]);
    const noProv = exampleResources(FINDINGS.deepresolve).filter((r) => r.resourceType !== "Provenance");
    expect(readOne(noProv).problems).toContain("no Provenance names the source of the reconstructed series");
  });

  it("an Observation not derivedFrom the report's study", () => {
    const r = readOne(editObservation(exampleResources(FINDINGS.kl), 0, (o) => (o.derivedFrom = [])));
    expect(r.problems).toEqual(["Observation/ex-kl-o1 is not derivedFrom the report's ImagingStudy"]);
  });

  it("an unknown algorithm", () => {
    const r = readOne(exampleResources(FINDINGS.kl, { algorithmName: "KneeNet 9000" }));
    expect(r.problems).toEqual(['unknown algorithm "KneeNet 9000" for this kind of result']);
    expect(r.algorithm.known).toBe(false);
  });

  it("resources that do not fit the schema, and garbage in the list", () => {
    const resources = editObservation(exampleResources(FINDINGS.kl), 0, (o) => ((o as unknown as { code: unknown }).code = "KL"));
    const reading = readImagingResults([...resources, null, 42, "x", { resourceType: "DiagnosticReport" }]);
    expect(reading.results).toHaveLength(1);
    expect(reading.results[0]!.problems[0]).toMatch(/^Observation\/ex-kl-o1 does not fit: code:/);
  });

  it("a viewer template needing a value the result lacks, or yielding a non-http URL, gives no link", () => {
    expect(readOne(exampleResources(FINDINGS.kl), "https://v.example.org/{seriesUid}").viewerUrl).toBeNull();
    expect(readOne(exampleResources(FINDINGS.kl), "javascript:alert('{studyUid}')").viewerUrl).toBeNull();
  });

  it("laterality read only from the project extension", () => {
    const r = readOne(editObservation(exampleResources(FINDINGS.kl), 0, (o) => (o.bodySite!.extension![0]!.url = LATERALITY_EXTENSION + "x")));
    expect(r.problems).toHaveLength(1);
  });
});
