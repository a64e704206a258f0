/**
 * The SR importer against files a sloppy or hostile imaging AI vendor or PACS could send:
 * truncated, padded, bombs, odd encodings, impossible values and dates, ambiguous identities,
 * and URLs built from what the file says. Each is refused with the file's name (and where in it),
 * or its part is skipped with the reason; nothing is ever read as a different value.
 */
import { access, mkdir, mkdtemp, open, readFile, rm } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import dcmjs from "dcmjs";
import type { Bundle, Media } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alg, CSAE_WITH_HEAT_MAP, drGroup, HEAT_MAP_EVIDENCE, IMPORT_USAGE, KL, KNEE, klGroups, runImportCommand, writeSr } from "./import-harness.ts";
import { MAX_NESTING, MAX_SR_BYTES } from "../../../models/imaging/dicom-structure.ts";
import { SrFileError, readSrFile } from "../../../models/imaging/read-sr.ts";
import { SR } from "../../../models/imaging/sr-codes.ts";
import { startSandbox } from "../../../sandbox/sandbox-server.ts";
import { registerBackendClient } from "../../support/backend-client-key.ts";
import { codeItem, group, num, projectCode, sct, site, srFile } from "../../support/sr-writer.ts";

type Dataset = Record<string, unknown>;

const TS = { implicit: "1.2.840.10008.1.2", explicit: "1.2.840.10008.1.2.1", deflated: "1.2.840.10008.1.2.1.99", big: "1.2.840.10008.1.2.2" };

/** Reads an SR file back with dcmjs, lets `change` edit the data set (and the transfer syntax), and writes it again. */
function rewrite(bytes: Uint8Array, change: (dataset: Dataset) => void, transferSyntax = TS.explicit): Uint8Array {
  const read = dcmjs.data.DicomMessage.readFile(bytes.slice().buffer as ArrayBuffer);
  const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(read.dict);
  change(dataset);
  const ui = (tag: string) => ({ vr: "UI", Value: (read.meta[tag] as { Value: string[] }).Value });
  const _meta = { MediaStorageSOPClassUID: ui("00020002"), MediaStorageSOPInstanceUID: ui("00020003"), TransferSyntaxUID: { vr: "UI", Value: [transferSyntax] } };
  return new Uint8Array(dcmjs.data.datasetToDict({ ...dataset, _meta }).write());
}

const withSyntax = (bytes: Uint8Array, uid: string) => rewrite(bytes, () => {}, uid);

/** Where the File Meta Information ends: its group length (0002,0000) is the UL right after DICM. */
const metaEnd = (bytes: Uint8Array) => 144 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(140, true);

/**
 * The same SR (explicit VR little endian, as srFile writes it) as a deflated file, with
 * `trailingZeros` bytes after the data set before deflating: the meta's Transfer Syntax UID is
 * patched (20 bytes to 22, and the meta group length with it) and the data set deflated here.
 */
function deflated(bytes: Uint8Array, trailingZeros = 0): Uint8Array {
  const file = Buffer.from(bytes);
  const end = metaEnd(bytes);
  const explicitUid = Buffer.from(`${TS.explicit}\0`, "latin1");
  const at = file.subarray(0, end).indexOf(explicitUid);
  const length = Buffer.alloc(2);
  length.writeUInt16LE(TS.deflated.length);
  const meta = Buffer.concat([file.subarray(0, at - 2), length, Buffer.from(TS.deflated, "latin1"), file.subarray(at + explicitUid.length, end)]);
  meta.writeUInt32LE(end - 144 + 2, 140);
  const body = Buffer.concat([file.subarray(end), Buffer.alloc(trailingZeros)]);
  return new Uint8Array(Buffer.concat([meta, deflateRawSync(body)]));
}

function refusal(bytes: Uint8Array, file = "x.dcm"): string {
  try {
    readSrFile(file, bytes);
  } catch (error) {
    if (error instanceof SrFileError) return error.message;
    throw error;
  }
  return "(read without complaint)";
}

const kneesOf = (bytes: Uint8Array) => readSrFile("x.dcm", bytes).reports.map((r) => r.findings);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "patella-hostile-sr-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const write = (name: string, bytes: Uint8Array) => writeSr(dir, name, bytes);
const run = runImportCommand;

const exists = (path: string) => access(path).then(() => true, () => false);

describe("an SR file's structure", () => {
  const whole = srFile(klGroups(2, 3));

  it("is refused when cut short at any byte, or at most skipped whole: never read as a shorter report", () => {
    const read: { cut: number; reports: number; skipped: string[] }[] = [];
    for (let cut = 0; cut < whole.byteLength; cut++) {
      try {
        const reading = readSrFile("x.dcm", whole.subarray(0, cut));
        read.push({ cut, reports: reading.reports.length, skipped: reading.skipped });
      } catch (error) {
        expect(error).toBeInstanceOf(SrFileError);
        expect((error as Error).message).toMatch(/^x\.dcm: /);
      }
    }
    // A cut between two top-level elements leaves a complete data set that lacks the rest: at
    // most a file skipped with its reason. dcmjs alone also read a file missing its last bytes
    // (the sequence delimiters) as whole, and cuts inside the header's sequences as complete.
    expect(read.filter((r) => r.reports > 0 || r.skipped.length === 0)).toEqual([]);
    expect(read.length).toBeLessThan(8);
    expect(refusal(whole.subarray(0, whole.byteLength - 1))).toBe("x.dcm: not a readable DICOM file (the file ends inside the element header at byte " + (whole.byteLength - 8) + " (truncated?))");
    expect(refusal(whole.subarray(0, whole.byteLength - 8))).toBe("x.dcm: not a readable DICOM file (the file ends inside a sequence of undefined length (no delimiter; truncated?))");
  });

  it("is refused, with the position, when bytes that are not elements follow the data set", () => {
    const padded = new Uint8Array(Buffer.concat([whole, Buffer.alloc(65536)]));
    expect(refusal(padded)).toBe(`x.dcm: not a readable DICOM file (element (0000,0000) at byte ${whole.byteLength} has no valid value representation)`);
  });

  it("is refused when an element declares a length past the end of the file", () => {
    // The Modality element (0008,0060) CS: make its 2-byte length 0xFFF0.
    const bytes = whole.slice();
    const at = Buffer.from(bytes).indexOf(Buffer.from([0x08, 0x00, 0x60, 0x00, 0x43, 0x53]));
    new DataView(bytes.buffer).setUint16(at + 6, 0xfff0, true);
    expect(refusal(bytes)).toMatch(new RegExp(`^x\\.dcm: not a readable DICOM file \\(the file ends inside element \\(0008,0060\\) \\(declared length 65520\\) starting at byte ${at} \\(truncated\\?\\)\\)$`));
  });

  it("is refused when its content nests far deeper than TID 1500 does", () => {
    let item: Dataset = { RelationshipType: "CONTAINS", ValueType: "TEXT", ConceptNameCodeSequence: [{ CodeValue: "1", CodingSchemeDesignator: "99X", CodeMeaning: "x" }], TextValue: "x" };
    for (let i = 0; i < 100; i++) item = { RelationshipType: "CONTAINS", ValueType: "CONTAINER", ContentSequence: [item] };
    expect(refusal(srFile([item]))).toMatch(new RegExp(`^x\\.dcm: not a readable DICOM file \\(content nested more than ${MAX_NESTING} levels deep at byte \\d+\\)$`));
  });

  it("reads the uncompressed transfer syntaxes and a deflated one to the same grades", () => {
    const expected = [{ kind: "kl", knees: [{ side: "left", grade: 2 }, { side: "right", grade: 3 }] }];
    for (const uid of [TS.implicit, TS.explicit, TS.big]) expect(kneesOf(withSyntax(whole, uid))).toEqual(expected);
    expect(kneesOf(deflated(whole))).toEqual(expected);
  });

  it("refuses an unknown transfer syntax instead of guessing explicit little endian", () => {
    expect(refusal(withSyntax(whole, "1.2.3.4"))).toBe('x.dcm: not a readable DICOM file (transfer syntax "1.2.3.4" is not one an SR is stored in (implicit or explicit VR little endian, deflated, explicit VR big endian))');
  });

  it("refuses a deflated data set that inflates beyond any SR (a deflate bomb), without inflating it all", () => {
    const bomb = deflated(whole, MAX_SR_BYTES + 1024);
    expect(bomb.byteLength).toBeLessThan(100_000);
    expect(refusal(bomb)).toBe(`x.dcm: not a readable DICOM file (the deflated data set inflates to more than ${MAX_SR_BYTES} bytes)`);
  });
});

describe("an SR's numbers", () => {
  /** A KL grade item whose DS value is `raw` as written. */
  const klWith = (raw: string) => srFile([group(alg("kl"), [site(KNEE, "left"), { ...num(KL, 0), MeasuredValueSequence: [{ NumericValue: raw }] }])]);

  it("stops the import at a NUM that is empty, NaN or Infinity, instead of reading it as grade 0", async () => {
    for (const raw of ["", "NaN", "Infinity"]) {
      const file = await write(`num-${raw || "empty"}.dcm`, klWith(raw));
      const out = join(dir, `num-${raw || "empty"}.json`);
      const { code, lines } = await run([file, "--out", out]);
      expect(code).toBe(1);
      expect(lines).toEqual([`${file}: measurement group 1: NUM 99PATELLA kl-grade "Kellgren-Lawrence grade" has no numeric value`, "Nothing was imported."]);
      expect(await exists(out)).toBe(false);
    }
  });

  it("skips a NUM with a Numeric Value Qualifier, with or without a value, with the reason, and imports the rest", async () => {
    // DICOM PS3.3 C.18.1: an empty Measured Value Sequence with a qualifier (CID 42) is a
    // measurement that failed or was not made; it is no number, and not a broken file.
    const failure = { CodeValue: "114006", CodingSchemeDesignator: "DCM", CodeMeaning: "Measurement failure" };
    const unvalued = (concept: ReturnType<typeof projectCode>) => ({ ...num(concept, 0), MeasuredValueSequence: [], NumericValueQualifierCodeSequence: [failure] });
    // A value with the qualifier is no measurement either: a failed grading's 0 is not "no OA".
    const qualified = (concept: ReturnType<typeof projectCode>) => ({ ...num(concept, 0), NumericValueQualifierCodeSequence: [failure] });
    const EROSION = projectCode("svh-erosion", "erosion");
    const bytes = srFile([
      group(alg("kl"), [site(KNEE, "left"), qualified(KL)]),
      group(alg("kl"), [site(KNEE, "right"), num(KL, 3, "{grade}")]),
      // An SvH joint without its score: totals summed without it would be too low.
      group(alg("svh"), [site(projectCode("hand-mcp2", "Hand MCP 2"), "left"), unvalued(EROSION)]),
      group(alg("svh"), [site(projectCode("foot-mtp5", "Foot MTP 5"), "right"), num(EROSION, 7)]),
    ]);
    const reading = readSrFile("x.dcm", bytes);
    expect(reading.reports.map((r) => r.findings)).toEqual([{ kind: "kl", knees: [{ side: "right", grade: 3 }] }]);
    expect(reading.skipped).toEqual([
      'x.dcm: measurement group 1: NUM 99PATELLA kl-grade "Kellgren-Lawrence grade" has no usable value (DCM 114006 "Measurement failure"); skipped',
      'x.dcm: measurement group 3: NUM 99PATELLA svh-erosion "erosion" has no usable value (DCM 114006 "Measurement failure"); skipped',
      "x.dcm: an SvH joint score has no value, so the totals cannot be computed; svh result skipped",
    ]);
    const file = await write("num-qualified.dcm", bytes);
    const { code, lines } = await run([file, "--out", join(dir, "num-qualified.json")]);
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatch(/results imported: kl 1; 3 items skipped/);
  });

  it("skips a DeepResolve slice thickness that is not in millimetres rather than read 0.07 cm as 0.07 mm", () => {
    const dr = (unit: string) => srFile([drGroup(unit === "cm" ? 0.07 : 0.7, unit)]);
    expect(kneesOf(dr("mm"))).toEqual([{ kind: "deepresolve", sourceSeriesUid: "2.25.201", series: { uid: "2.25.202", description: "", sliceCount: 160, sliceThicknessMm: 0.7 } }]);
    const reading = readSrFile("x.dcm", dr("cm"));
    expect(reading.reports).toEqual([]);
    expect(reading.skipped).toEqual([
      'x.dcm: measurement group 1: NUM 99PATELLA dr-slice-thickness "Slice thickness" is in UCUM cm, not mm; skipped',
      "x.dcm: a DeepResolve result needs both series UIDs, the slice count and the thickness; deepresolve result skipped",
    ]);
  });

  it("skips a DeepResolve series UID that is not a DICOM UID", () => {
    const bytes = rewrite(srFile([drGroup()]), (d) => {
      const uidItemOf = ((d.ContentSequence as Dataset[])[0]!.ContentSequence as Dataset[])[0]!.ContentSequence as Dataset[];
      const series = uidItemOf.find((i) => i.ValueType === "UIDREF" && (i.ConceptNameCodeSequence as Dataset).CodeValue === "dr-series")!;
      Object.assign(series, { UID: "../../evil", _vrMap: { UID: "LO" } });
    });
    const reading = readSrFile("x.dcm", bytes);
    expect(reading.reports).toEqual([]);
    expect(reading.skipped).toContain('x.dcm: measurement group 1: UIDREF 99PATELLA dr-series "Reconstructed series" is not a DICOM UID; skipped');
  });
});

describe("two measurement groups that disagree", () => {
  const csae = (finding: string, ra: number, psa: number, healthy?: number) => group(alg("csae"), [
    codeItem(SR.finding, finding === "ra" ? sct("69896004", "Rheumatoid arthritis") : sct("33339001", "Psoriasis with arthropathy")),
    num(projectCode("csae-p-ra", "p(RA)"), ra),
    num(projectCode("csae-p-psa", "p(PsA)"), psa),
    ...(healthy === undefined ? [] : [num(projectCode("csae-p-healthy", "p(healthy)"), healthy)]),
  ]);

  it("skip their CSAE result instead of mixing them into one that looks valid", () => {
    // Mixed, the second group's RA and PsA with the first's healthy would sum to 1 and predict PsA.
    const reading = readSrFile("x.dcm", srFile([csae("ra", 0.5, 0.3, 0.2), csae("psa", 0.3, 0.5)]));
    expect(reading.reports).toEqual([]);
    expect(reading.skipped).toEqual(['x.dcm: 99PATELLA csae-p-ra "p(RA)", the CSAE class (Finding), 99PATELLA csae-p-psa "p(PsA)" given different values by two measurement groups; csae result skipped']);
  });

  it("skip a DeepResolve result whose two groups give different slice thicknesses, but not one that repeats a value", () => {
    const dr = (thickness: number) => drGroup(thickness);
    expect(readSrFile("x.dcm", srFile([dr(0.7), dr(3)])).skipped).toEqual(['x.dcm: 99PATELLA dr-slice-thickness "Slice thickness" given different values by two measurement groups; deepresolve result skipped']);
    expect(kneesOf(srFile([dr(0.7), dr(0.7)]))).toEqual([{ kind: "deepresolve", sourceSeriesUid: "2.25.201", series: { uid: "2.25.202", description: "", sliceCount: 160, sliceThicknessMm: 0.7 } }]);
  });
});

describe("an SR's header", () => {
  const base = srFile(klGroups(1, 1));
  const header = (fields: Dataset, vr: Record<string, string> = {}) => rewrite(base, (d) => Object.assign(d, fields, { _vrMap: { ...(d._vrMap as object), ...vr } }));

  it("refuses dates and times that do not exist", () => {
    expect(refusal(header({ ContentDate: "20251345" }))).toBe("x.dcm: Content Date is missing or not a DICOM date");
    expect(refusal(header({ ContentDate: "20250229" }))).toBe("x.dcm: Content Date is missing or not a DICOM date");
    expect(refusal(header({ ContentTime: "256199" }))).toBe("x.dcm: Content Time is not a DICOM time");
    expect(refusal(header({ StudyDate: "2025-03-01" }))).toBe("x.dcm: Study Date is not a DICOM date");
    expect(readSrFile("x.dcm", header({ ContentDate: "20240229" })).reports[0]?.issued).toBe("2024-02-29T10:15:00Z");
  });

  it("keeps the SR's own time zone instead of reading its local time as UTC", () => {
    const [report] = readSrFile("x.dcm", header({ TimezoneOffsetFromUTC: "+0530" })).reports;
    expect([report?.issued, report?.studyDate]).toEqual(["2025-03-02T10:15:00+05:30", "2025-03-01T00:00:00+05:30"]);
    expect(refusal(header({ TimezoneOffsetFromUTC: "+2500" }))).toBe("x.dcm: Timezone Offset From UTC is not a DICOM offset (+HHMM or -HHMM)");
  });

  it("refuses a Patient ID or UID with two values instead of taking the first", () => {
    expect(refusal(header({ PatientID: ["p1", "p2"] }))).toBe("x.dcm: Patient ID has 2 values, not one");
    expect(refusal(header({ StudyInstanceUID: ["2.25.1", "2.25.2"] }))).toBe("x.dcm: Study Instance UID has 2 values, not one");
  });

  it("refuses a Study or SOP Instance UID that is not a DICOM UID", () => {
    expect(refusal(header({ StudyInstanceUID: "javascript:alert(1)" }, { StudyInstanceUID: "LO" }))).toBe("x.dcm: Study Instance UID or SOP Instance UID is missing or not a DICOM UID");
    expect(refusal(header({ SOPInstanceUID: "1.2.3/../4" }, { SOPInstanceUID: "LO" }))).toBe("x.dcm: Study Instance UID or SOP Instance UID is missing or not a DICOM UID");
  });
});

describe("an SR's words", () => {
  it("quotes at most 64 characters of an unknown algorithm name or measurement code in a skipped line", () => {
    const reading = readSrFile("x.dcm", srFile([
      group({ name: "K".repeat(10_000), version: "1" }, [site(KNEE, "left"), num(KL, 2)]),
      group(alg("kl"), [site(KNEE, "left"), num(projectCode("kl-jsw", "J".repeat(10_000)), 3)]),
    ]));
    expect(reading.skipped).toEqual([
      `x.dcm: measurement group 1: unknown algorithm "${"K".repeat(64)}…" for this kind of result; skipped`,
      `x.dcm: measurement group 2: unknown measurement code 99PATELLA kl-jsw "${"J".repeat(64)}…"; skipped`,
    ]);
  });

  it("prints a quoted name's control characters as ?, so a file cannot send escape sequences to the terminal", () => {
    const reading = readSrFile("x.dcm", srFile([group({ name: "\u001b[2J\u001b[31mKneeNet", version: "1" }, [site(KNEE, "left"), num(KL, 2)])]));
    expect(reading.skipped).toEqual(['x.dcm: measurement group 1: unknown algorithm "?[2J?[31mKneeNet" for this kind of result; skipped']);
  });
});

describe("the CSAE heat map URL", () => {
  const csae = group(alg("csae"), CSAE_WITH_HEAT_MAP);

  it("is not built from evidence UIDs that would change its path", async () => {
    const bytes = rewrite(srFile([csae], { evidence: HEAT_MAP_EVIDENCE }), (d) => {
      const study = (d.CurrentRequestedProcedureEvidenceSequence as Dataset[])[0]!;
      Object.assign(study, { StudyInstanceUID: "../../../admin?x=", _vrMap: { StudyInstanceUID: "LO" } });
    });
    const file = await write("heat-path.dcm", bytes);
    const out = join(dir, "heat-path.json");
    const { code, lines } = await run([file, "--out", out, "--wado", "https://pacs.example.org/dicomweb"]);
    expect(code).toBe(0);
    expect(lines).toContain(`skipped: ${file}: heat map image 2.25.301 is not listed in the SR's evidence (no study and series to retrieve it from); the CSAE result is imported without its heat map`);
    const resources = (JSON.parse(await readFile(out, "utf8")) as Bundle).entry!.map((e) => e.resource!);
    expect(resources.filter((r): r is Media => r.resourceType === "Media")).toEqual([]);
  });
});

describe("what is not a file of SR size", () => {
  it("refuses a file far larger than any SR before reading it, and a directory, naming each", async () => {
    const huge = join(dir, "huge.dcm");
    const handle = await open(huge, "w");
    await handle.truncate(MAX_SR_BYTES + 1); // sparse: no disk used
    await handle.close();
    const folder = join(dir, "a-folder.dcm");
    await mkdir(folder);
    expect((await run([huge, "--out", join(dir, "huge.json")])).lines).toEqual([`${huge}: is ${MAX_SR_BYTES + 1} bytes, more than an SR can be (${MAX_SR_BYTES})`, "Nothing was imported."]);
    expect((await run([folder, "--out", join(dir, "folder.json")])).lines).toEqual([`${folder}: cannot be read (EISDIR)`, "Nothing was imported."]);
    expect(await exists(join(dir, "huge.json"))).toBe(false);
  });
});

describe("the command's URLs", () => {
  it("refuses a --wado that is no http(s) URL with a host, and a --fhir that is not https (http only on loopback), as usage errors", async () => {
    for (const wado of ["https://", "https:///pacs", "http:pacs.example.org"]) {
      expect(await run(["a.dcm", "--out", join(dir, "w.json"), "--wado", wado])).toEqual({ code: 2, lines: ["--wado must be an http(s) URL", IMPORT_USAGE] });
    }
    const plainOrNone = "--fhir must be an https URL (plain http only on loopback): the token and the patients' results would cross the network in the clear";
    for (const fhir of ["https://", "http://ehr.example.org/fhir"]) {
      expect(await run(["a.dcm", "--fhir", fhir, "--client-id", "c", "--key", "k"])).toEqual({ code: 2, lines: [plainOrNone, IMPORT_USAGE] });
    }
  });
});

describe("files that contradict each other", () => {
  /** Writes the two files, imports them with --out: nothing is written, and the one line says why. */
  async function expectStopped(names: [string, string], headers: [object, object], out: string, why: (a: string, b: string) => string) {
    const a = await write(names[0], srFile(klGroups(1, 1), headers[0]));
    const b = await write(names[1], srFile(klGroups(4, 4), headers[1]));
    const { code, lines } = await run([a, b, "--out", join(dir, out)]);
    expect(code).toBe(1);
    expect(lines).toEqual([why(a, b), "Nothing was imported."]);
    expect(await exists(join(dir, out))).toBe(false);
  }

  it("stops when two files put the same study under different patients", async () => {
    await expectStopped(["study-a.dcm", "study-b.dcm"], [{ sopUid: "2.25.7001", patientId: "p1" }, { sopUid: "2.25.7002", patientId: "p2" }], "two-patients.json", (a, b) => `${b}: Study Instance UID 2.25.100 is also in ${a}, for another patient`);
  });

  it("stops when two files are the same SR instance, rather than let one overwrite the other", async () => {
    await expectStopped(["sop-a.dcm", "sop-b.dcm"], [{ sopUid: "2.25.7003" }, { sopUid: "2.25.7003" }], "same-sop.json", (a, b) => `${b}: SOP Instance UID 2.25.7003 is also that of ${a}`);
  });

  it("imports two SRs of the same study and patient as two reports", async () => {
    const a = await write("same-a.dcm", srFile(klGroups(1, 1), { sopUid: "2.25.7004" }));
    const b = await write("same-b.dcm", srFile(klGroups(2, 2), { sopUid: "2.25.7005" }));
    const out = join(dir, "same-study.json");
    const { code, lines } = await run([a, b, "--out", out]);
    expect(code, lines.join("\n")).toBe(0);
    expect(lines.at(-1)).toMatch(/results imported: kl 2; 0 items skipped/);
  });
});

describe("a hostile or inconsistent FHIR server", () => {
  // The sandbox issues the token; this server names the sandbox's token endpoint, answers the
  // study search as `search` says (refused, more than one page, or these studies) and refuses
  // every transaction, with words meant to rewrite the operator's terminal.
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let hostile: Server;
  let key: string;
  let search: "refused" | "paged" | unknown[] | { bundle: unknown } = "refused";
  /** When set, the server names its own token endpoint, which answers busy this many times and
   * then grants what is asked (this server checks no token). */
  let tokenBusy: number | null = null;
  const diagnostics = `\u001b[2J\u001b]0;pwned\u0007${"x".repeat(5000)}`;
  const said = `HTTP 422: ?[2J?]0;pwned?${"x".repeat(500 - 14)}…`;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, resources: [] });
    key = await registerBackendClient(sandbox, "importer", { mayWrite: true });
    const config = await (await fetch(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`)).json();
    const refusal = JSON.stringify({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "invalid", diagnostics }] });
    hostile = createServer((request, response) => {
      response.setHeader("content-type", "application/fhir+json");
      const port = (hostile.address() as AddressInfo).port;
      if (request.url?.endsWith("/.well-known/smart-configuration")) {
        return void response.end(JSON.stringify(tokenBusy === null ? config : { ...config, token_endpoint: `http://127.0.0.1:${port}/token` }));
      }
      if (request.url === "/token" && tokenBusy !== null) {
        if (tokenBusy > 0) {
          tokenBusy -= 1;
          response.writeHead(429, { "retry-after": "1" });
          return void response.end();
        }
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
          const scope = new URLSearchParams(Buffer.concat(chunks).toString()).get("scope");
          response.end(JSON.stringify({ access_token: "granted", token_type: "bearer", expires_in: 300, scope }));
        });
        return;
      }
      if (request.method === "GET" && search !== "refused") {
        if (!Array.isArray(search) && typeof search === "object") return void response.end(JSON.stringify(search.bundle));
        const link = search === "paged" ? [{ relation: "next", url: `${request.url}&_offset=100` }] : [];
        const entry = search === "paged" ? [] : search.map((resource) => ({ resource }));
        return void response.end(JSON.stringify({ resourceType: "Bundle", type: "searchset", link, entry }));
      }
      response.statusCode = 422;
      response.end(refusal);
    });
    await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    hostile.close();
    await sandbox.close();
  });
  const importInto = (file: string) => run([file, "--fhir", `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/fhir`, "--client-id", "importer", "--key", key]);

  it("has its refusals printed without control characters and cut short, so they cannot rewrite the operator's terminal", async () => {
    const file = await write("refused.dcm", srFile(klGroups(1, 1), { sopUid: "2.25.7101" }));
    search = "refused";
    expect(await importInto(file)).toEqual({ code: 1, lines: [`the FHIR server did not answer the search for the studies already there (${said}); nothing was imported`] });
    search = [];
    expect(await importInto(file)).toEqual({ code: 1, lines: [`the FHIR server refused the transaction (${said}); nothing was imported`] });
  });

  it("gets nothing imported when the search's answer has a link or entry that is not a list", async () => {
    const file = await write("shapes.dcm", srFile(klGroups(1, 1), { sopUid: "2.25.7104" }));
    for (const shape of [{ link: {} }, { entry: {} }, { entry: "x" }]) {
      search = { bundle: { resourceType: "Bundle", type: "searchset", ...shape } };
      expect(await importInto(file), JSON.stringify(shape)).toEqual({
        code: 1,
        lines: ["the FHIR server's answer to the search for the studies already there is not a readable Bundle (link or entry not a list); nothing was imported"],
      });
    }
  });

  it("waits out a busy token endpoint, saying so, within its limit", async () => {
    const file = await write("busy-token.dcm", srFile(klGroups(1, 1), { sopUid: "2.25.7105" }));
    search = [];
    tokenBusy = 2;
    const { lines } = await importInto(file);
    expect(tokenBusy).toBe(0);
    tokenBusy = null;
    expect(lines).toEqual(["waiting 1 s: token: HTTP 429, busy", "waiting 1 s: token: HTTP 429, busy", `the FHIR server refused the transaction (${said}); nothing was imported`]);
  });

  it("gets nothing imported when a study search needs more than one page, which the check cannot vouch for", async () => {
    const file = await write("paged.dcm", srFile(klGroups(1, 1), { sopUid: "2.25.7102" }));
    search = "paged";
    expect(await importInto(file)).toEqual({ code: 1, lines: ["the FHIR server holds more than one page of ImagingStudies with Study Instance UID 2.25.100; nothing was imported"] });
  });

  it("takes a study of the same patient by an absolute reference on this server as the patient's; on another server, or without a patient, as another's", async () => {
    const file = await write("subjects.dcm", srFile(klGroups(1, 1), { sopUid: "2.25.7103", patientId: "p1" }));
    const study = (subject?: string, uid = "2.25.100") => ({
      resourceType: "ImagingStudy",
      id: "s1",
      status: "available",
      identifier: [{ system: "urn:dicom:uid", value: `urn:oid:${uid}` }],
      ...(subject !== undefined && { subject: { reference: subject } }),
    });
    // A server that ignored the identifier (another patient's study of another UID): its conditional create would ignore it too.
    search = [study("Patient/p2", "2.25.999")];
    expect(await importInto(file)).toEqual({
      code: 1,
      lines: ["the FHIR server answered the search by Study Instance UID with studies of other UIDs: it does not honour ImagingStudy?identifier=, and its conditional create would not either; nothing was imported"],
    });
    // The same patient: past the check, to the transaction (which this server refuses).
    search = [study(`http://127.0.0.1:${(hostile.address() as AddressInfo).port}/fhir/Patient/p1`)];
    expect((await importInto(file)).lines).toEqual([`the FHIR server refused the transaction (${said}); nothing was imported`]);
    // The same id on another server, or no patient: the report is refused, and with nothing left nothing is sent.
    for (const subject of ["https://ehr.example.org/fhir/Patient/p1", undefined]) {
      search = [study(subject)];
      const { code, lines } = await importInto(file);
      expect(code, subject).toBe(0);
      expect(lines, subject).toEqual([
        `skipped: ${file}: kl result: Study Instance UID 2.25.100 is already on the FHIR server for another patient; a DICOM UID names one study, so the SR or the server's record is wrong; skipped`,
        expect.stringMatching(/results imported: none; 1 items skipped; 0 resources posted to/),
      ]);
    }
  });
});
