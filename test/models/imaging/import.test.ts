import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bundle, DiagnosticReport, ImagingStudy, Media, Resource } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alg, CSAE_WITH_HEAT_MAP, KL, KNEE, drGroup as drGroupOf, HEAT_MAP_EVIDENCE, IMPORT_USAGE, klGroups as trackedKlGroups, runImportCommand, writeSr } from "./import-harness.ts";
import { SR } from "../../../models/imaging/sr-codes.ts";
import { readImagingResults } from "../../../shared/imaging/read-results.ts";
import { issueAccessToken } from "../../../sandbox/auth/access-token.ts";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { registerBackendClient } from "../../support/backend-client-key.ts";
import { codeItem, group, num, projectCode, sct, site, srFile } from "../../support/sr-writer.ts";

const klGroups = (left: number, right: number) => trackedKlGroups(left, right, true);
const svhGroups = [
  group(alg("svh"), [site(projectCode("hand-mcp2", "Hand MCP 2"), "left"), num(projectCode("svh-erosion", "erosion"), 3)]),
  group(alg("svh"), [site(projectCode("foot-mtp5", "Foot MTP 5"), "right"), num(projectCode("svh-erosion", "erosion"), 7)]),
  group(alg("svh"), [site(projectCode("hand-pip3", "Hand PIP 3"), "right"), num(projectCode("svh-narrowing", "narrowing"), 2)]),
  group(alg("svh"), [num(projectCode("svh-erosion-total", "t"), 10), num(projectCode("svh-narrowing-total", "t"), 2), num(projectCode("svh-total", "t"), 12)]),
];
const csaeGroup = group(alg("csae"), [
  codeItem(SR.finding, sct("33339001", "Psoriasis with arthropathy")),
  num(projectCode("csae-p-ra", "p"), 0.2),
  num(projectCode("csae-p-psa", "p"), 0.7),
  num(projectCode("csae-p-healthy", "p"), 0.1),
]);
const drGroup = drGroupOf();

let dir: string;
/** The sandbox FHIR server, empty: the import is its only writer. */
let server: Sandbox;
let importerKey: string;
let readerKey: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "patella-sr-"));
  server = await startSandbox({ port: 0, resources: [] });
  importerKey = await registerBackendClient(server, "importer", { mayWrite: true });
  readerKey = await registerBackendClient(server, "reader", { mayWrite: false });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const toServer = () => ["--fhir", server.fhirBaseUrl, "--client-id", "importer", "--key", importerKey];

const write = (name: string, bytes: Uint8Array) => writeSr(dir, name, bytes);
const run = runImportCommand;

async function serverResources(): Promise<Resource[]> {
  const out: Resource[] = [];
  const token = await issueAccessToken(server.tokenSigner, { clientId: "test", scopes: ["system/*.rs"] }, 60);
  for (const type of ["DiagnosticReport", "Observation", "Device", "Media", "ImagingStudy", "Provenance"]) {
    const response = await fetch(`${server.fhirBaseUrl}/${type}?_count=500`, { headers: { authorization: `Bearer ${token}` } });
    const bundle = (await response.json()) as Bundle;
    out.push(...(bundle.entry ?? []).map((e) => e.resource!));
  }
  return out;
}

describe("imaging:import", () => {
  it("writes one transaction Bundle whose resources read back as the SR's four kinds of result", async () => {
    const file = await write("all.dcm", srFile([...klGroups(1, 3), ...svhGroups, csaeGroup, drGroup]));
    const out = join(dir, "bundle.json");
    const { code, lines } = await run([file, "--out", out]);
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatch(/results imported: kl 1, svh 1, csae 1, deepresolve 1; 0 items skipped/);
    const bundle = JSON.parse(await readFile(out, "utf8")) as Bundle;
    expect(bundle.type).toBe("transaction");
    // Inside the bundle the source study is a urn:uuid created only if absent.
    const study = bundle.entry!.find((e) => e.resource?.resourceType === "ImagingStudy" && e.request?.method === "POST")!;
    // ...this patient's only (never another patient's study with the same UID), leaving out the
    // DeepResolve reconstruction, which shares the Study Instance UID.
    expect(study.request!.ifNoneExist).toBe(
      "identifier=urn:dicom:uid|urn:oid:2.25.100&patient=Patient/p1&_tag:not=https://patella.example.org/fhir/CodeSystem/imaging-ai|ai-derived-study",
    );
    expect(study.fullUrl).toMatch(/^urn:uuid:/);
  });

  it("posts the transaction to a real FHIR server, where the results read back with their values", async () => {
    const file = await write("post.dcm", srFile([...klGroups(1, 3), ...svhGroups, csaeGroup, drGroup]));
    const { code } = await run([file, ...toServer()]);
    expect(code).toBe(0);
    const { results } = readImagingResults(await serverResources());
    expect(results.map((r) => [r.kind, r.problems])).toEqual(
      expect.arrayContaining([["kl", []], ["svh", []], ["csae", []], ["deepresolve", []]]),
    );
    const kl = results.find((r) => r.kind === "kl");
    expect(kl?.kind === "kl" && kl.knees).toEqual([{ side: "left", grade: 1 }, { side: "right", grade: 3 }]);
    expect(kl?.algorithm).toEqual({ name: "Knee KL grader", version: "3.0", manufacturer: "Example AI Inc.", known: true });
    expect(kl?.issued).toBe("2025-03-02T10:15:00Z");
    const svh = results.find((r) => r.kind === "svh");
    expect(svh?.kind === "svh" && svh.totals).toEqual({ erosion: 10, narrowing: 2, total: 12 });
    const csae = results.find((r) => r.kind === "csae");
    expect(csae?.kind === "csae" && [csae.predicted, csae.probabilities]).toEqual(["psa", { ra: 0.2, psa: 0.7, healthy: 0.1 }]);
    const dr = results.find((r) => r.kind === "deepresolve");
    expect(dr?.kind === "deepresolve" && [dr.sourceSeriesUid, dr.series?.sliceCount, dr.series?.sliceThicknessMm]).toEqual(["2.25.201", 160, 0.7]);

    // Importing the same file again updates in place: still one report of each kind, one source study.
    const second = await run([file, ...toServer()]);
    expect(second.code, second.lines.join("\n")).toBe(0);
    const again = await serverResources();
    expect(again.filter((r) => r.resourceType === "DiagnosticReport")).toHaveLength(4);
    expect(again.filter((r) => r.resourceType === "ImagingStudy" && r.id !== undefined && !r.id.startsWith("sr-"))).toHaveLength(1);
  });

  it("refuses, counted, a report whose Study Instance UID the server holds for another patient, and imports the rest", async () => {
    // The server already holds study 2.25.777 for patient "p-other" (imported earlier).
    const theirs = await write("theirs.dcm", srFile(klGroups(0, 0), { sopUid: "2.25.9301", studyUid: "2.25.777", patientId: "p-other" }));
    expect((await run([theirs, ...toServer()])).code).toBe(0);
    const clash = await write("clash.dcm", srFile(klGroups(4, 4), { sopUid: "2.25.9302", studyUid: "2.25.777", patientId: "p-clash" }));
    const fine = await write("fine.dcm", srFile(klGroups(2, 2), { sopUid: "2.25.9303", studyUid: "2.25.778", patientId: "p-clash" }));
    const { code, lines } = await run([clash, fine, ...toServer()]);
    expect(code, lines.join("\n")).toBe(0);
    expect(lines).toContain(
      `skipped: ${clash}: kl result: Study Instance UID 2.25.777 is already on the FHIR server for another patient; a DICOM UID names one study, so the SR or the server's record is wrong; skipped`,
    );
    expect(lines.at(-1)).toMatch(/results imported: kl 1; 1 items skipped/);
    expect(lines.join("\n")).not.toContain("p-other");
    const resources = await serverResources();
    const studies = resources.filter((r): r is ImagingStudy => r.resourceType === "ImagingStudy").filter((s) => s.identifier?.[0]?.value === "urn:oid:2.25.777");
    expect(studies.map((s) => s.subject?.reference)).toEqual(["Patient/p-other"]);
    const reports = resources.filter((r): r is DiagnosticReport => r.resourceType === "DiagnosticReport").filter((d) => d.subject?.reference === "Patient/p-clash");
    expect(reports).toHaveLength(1);
    const [kl] = readImagingResults(resources).results.filter((r) => r.reportId === reports[0]!.id);
    expect(kl?.kind === "kl" && [kl.problems, kl.knees.map((k) => k.grade)]).toEqual([[], [2, 2]]);
  });

  it("reports and skips unknown templates, unknown codes, unknown algorithms and out-of-range results", async () => {
    const otherTemplate = await write("tid2000.dcm", srFile(klGroups(1, 1), { template: "2000", sopUid: "2.25.9002" }));
    const mixed = await write("mixed.dcm", srFile([
      ...klGroups(0, 2),
      group(alg("kl"), [site(KNEE, "left"), num(projectCode("kl-jsw", "Joint space width"), 3.1, "mm")]),
      group({ name: "KneeNet 9000", version: "1" }, [site(KNEE, "left"), num(KL, 4)]),
    ], { sopUid: "2.25.9003" }));
    const outOfRange = await write("range.dcm", srFile(klGroups(7, 1), { sopUid: "2.25.9004" }));
    const out = join(dir, "mixed.json");
    const { code, lines } = await run([otherTemplate, mixed, outOfRange, "--out", out]);
    expect(code).toBe(0);
    expect(lines).toContain(`skipped: ${otherTemplate}: template 2000 (DCM 126000 "Imaging Measurement Report") is not a TID 1500 Measurement Report; file skipped`);
    expect(lines).toContain(`skipped: ${mixed}: measurement group 3: unknown measurement code 99PATELLA kl-jsw "Joint space width"; skipped`);
    expect(lines).toContain(`skipped: ${mixed}: measurement group 4: unknown algorithm "KneeNet 9000" for this kind of result; skipped`);
    expect(lines.filter((l) => /^skipped: kl result of 2025-03-02: Observation\/sr-\w+-kl-o1: KL grade must be an integer 0-4; skipped$/.test(l))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/results imported: kl 1; 4 items skipped/);
    const { results } = readImagingResults((JSON.parse(await readFile(out, "utf8")) as Bundle).entry!.map((e) => ({ ...e.resource!, id: e.resource!.id ?? "s" })));
    expect(results).toHaveLength(1);
  });

  it("stops at a malformed file, naming it, and posts nothing", async () => {
    const good = await write("good.dcm", srFile(klGroups(1, 1), { sopUid: "2.25.9005", patientId: "p9" }));
    const junk = await write("junk.dcm", new TextEncoder().encode("this is not DICOM at all"));
    const truncated = await write("truncated.dcm", srFile(klGroups(1, 1)).slice(0, 300));
    const before = (await serverResources()).length;
    for (const bad of [junk, truncated]) {
      const { code, lines } = await run([good, bad, ...toServer()]);
      expect(code).toBe(1);
      expect(lines[0]).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not a readable DICOM file`));
      expect(lines).toContain("Nothing was imported.");
    }
    const noPatient = await write("nopatient.dcm", srFile(klGroups(1, 1), { patientId: "not a valid id!" }));
    expect((await run([noPatient, ...toServer()])).lines[0]).toBe(`${noPatient}: Patient ID is missing or is not a FHIR id`);
    expect((await serverResources()).length).toBe(before);
    expect((await serverResources()).some((r) => r.resourceType === "DiagnosticReport" && (r as DiagnosticReport).subject?.reference === "Patient/p9")).toBe(false);
  });

  describe("the CSAE heat map an SR references", () => {
    const heatMapGroup = group(alg("csae"), CSAE_WITH_HEAT_MAP);
    const evidence = HEAT_MAP_EVIDENCE;

    async function importBundle(name: string, header: Parameters<typeof srFile>[1], extra: string[]) {
      const file = await write(`${name}.dcm`, srFile([heatMapGroup], header));
      const out = join(dir, `${name}.json`);
      const { code, lines } = await run([file, "--out", out, ...extra]);
      expect(code).toBe(0);
      const resources = (JSON.parse(await readFile(out, "utf8")) as Bundle).entry!.map((e) => ({ ...e.resource!, id: e.resource!.id ?? "study" }));
      return { file, lines, resources };
    }

    it("becomes a Media whose URL is the WADO-RS rendered instance, linked from the report", async () => {
      const { resources } = await importBundle("heat", { sopUid: "2.25.9101", evidence }, ["--wado", "https://pacs.example.org/dicomweb/"]);
      const media = resources.filter((r) => r.resourceType === "Media") as Media[];
      const url = "https://pacs.example.org/dicomweb/studies/2.25.100/series/2.25.300/instances/2.25.301/rendered";
      expect(media.map((m) => [m.content.url, m.content.contentType])).toEqual([[url, "image/jpeg"]]);
      const report = resources.find((r) => r.resourceType === "DiagnosticReport") as DiagnosticReport;
      expect(report.media?.map((m) => m.link.reference)).toEqual([`Media/${media[0]!.id}`]);
      // (In the Bundle the source study is still a urn:uuid; the reader's other checks run on the server.)
      const [csae] = readImagingResults(resources).results;
      expect(csae?.kind === "csae" && csae.heatMap).toMatchObject({ url, contentType: "image/jpeg" });
    });

    it("is left out, with the reason, without a WADO-RS base or when the SR's evidence does not place it", async () => {
      const noBase = await importBundle("heat-nobase", { sopUid: "2.25.9102", evidence }, []);
      expect(noBase.lines).toContain(`skipped: ${noBase.file}: heat map image 2.25.301 needs --wado BASE (a DICOMweb WADO-RS base) to become a link; the CSAE result is imported without its heat map`);
      const noEvidence = await importBundle("heat-noevidence", { sopUid: "2.25.9103" }, ["--wado", "https://pacs.example.org/dicomweb"]);
      expect(noEvidence.lines).toContain(`skipped: ${noEvidence.file}: heat map image 2.25.301 is not listed in the SR's evidence (no study and series to retrieve it from); the CSAE result is imported without its heat map`);
      for (const { resources } of [noBase, noEvidence]) {
        expect(resources.filter((r) => r.resourceType === "Media")).toHaveLength(0);
        const [csae] = readImagingResults(resources).results;
        expect(csae?.kind === "csae" && [csae.predicted, csae.heatMap]).toEqual(["ra", null]);
      }
    });
  });

  it("posts nothing as a client the server lets read only, and says why", async () => {
    const file = await write("reader.dcm", srFile(klGroups(2, 2), { sopUid: "2.25.9006", patientId: "p7" }));
    const before = (await serverResources()).length;
    const { code, lines } = await run([file, "--fhir", server.fhirBaseUrl, "--client-id", "reader", "--key", readerKey]);
    expect(code).toBe(1);
    expect(lines.join("\n")).toMatch(/^no access token for reader with scope "system\/Device\.cu system\/DiagnosticReport\.cu system\/ImagingStudy\.cus system\/Observation\.cu" \(token request: HTTP 400 .*invalid_scope.*\); nothing was imported$/m);
    expect((await serverResources()).length).toBe(before);
  });

  it("writes the transaction (patients' data) 0600 whatever the umask, also over an existing file", async () => {
    const file = await write("modes.dcm", srFile(klGroups(1, 2)));
    const fresh = join(dir, "modes-bundle.json");
    const existing = join(dir, "modes-existing.json");
    await writeFile(existing, "old", { mode: 0o666 });
    await chmod(existing, 0o666);
    const umask = process.umask(0o000);
    try {
      expect((await run([file, "--out", fresh])).code).toBe(0);
      expect((await run([file, "--out", existing])).code).toBe(0);
    } finally {
      process.umask(umask);
    }
    expect(((await stat(fresh)).mode & 0o777).toString(8)).toBe("600");
    expect(((await stat(existing)).mode & 0o777).toString(8)).toBe("600");
    expect((JSON.parse(await readFile(existing, "utf8")) as Bundle).type).toBe("transaction");
  });

  it("refuses an --out in a folder that does not exist, naming it, before reading any SR file (exit 2)", async () => {
    const missing = join(dir, "no-such-folder");
    // The SR file does not exist either: had it been read first, that would be the error (exit 1).
    const result = await run([join(dir, "not-there.dcm"), "--out", join(missing, "bundle.json")]);
    expect(result).toEqual({ code: 2, lines: [`--out: the output folder ${missing} does not exist; create it first`, IMPORT_USAGE] });
    expect((await run([join(dir, "not-there.dcm"), "--out", dir])).lines[0]).toBe(`--out: ${dir} is a folder; give a file name`);
  });

  it("says how to call it", async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(["a.dcm"])).lines).toEqual(["give exactly one of --fhir BASE and --out FILE", IMPORT_USAGE]);
    expect((await run(["a.dcm", "--fhir", "http://127.0.0.1:1/fhir"])).lines).toEqual(["--fhir needs --client-id and --key (SMART Backend Services)", IMPORT_USAGE]);
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.lines[0]).toBe(IMPORT_USAGE);
    for (const option of ["--fhir BASE", "--client-id ID", "--key FILE", "--out FILE", "--wado BASE"]) expect(help.lines.some((l) => l.trimStart().startsWith(option))).toBe(true);
  });
});
