/**
 * The imaging import command (cli.ts runs it): reads every SR file first, then posts one
 * transaction or writes it. Returns the exit code: 0 done, 1 a file or the server failed
 * (nothing imported), 2 usage.
 */
import { readFile, stat } from "node:fs/promises";
import type { TokenSource } from "../../population/bulk/backend-services-token.ts";
import { writeFileOwnerOnly } from "../../population/owner-only-files.ts";
import { isTlsOrLoopback } from "../../shared/fhir-server-url.ts";
import { isHttpUrl } from "../../shared/imaging/viewer-url.ts";
import { checkOutputFile, UsageError } from "../features/cli-args.ts";
import { MAX_SR_BYTES } from "./dicom-structure.ts";
import { buildImportBundle, type ImportBundle } from "./import-bundle.ts";
import { type ImportTarget, importToken, postTransaction, studiesOfOtherPatients } from "./import-server.ts";
import { SrFileError, type SrIdentity, type SrReport, readSrFile } from "./read-sr.ts";

const USAGE = "usage: npm run imaging:import -- FILE... (--fhir BASE --client-id ID --key FILE | --out FILE) [--wado WADO-RS-BASE]";

const HELP = `${USAGE}

Reads DICOM SR files (TID 1500) of imaging AI results (KL grade, SvH, CSAE, DeepResolve) and
imports them as one FHIR transaction; every file is read first, and a malformed file stops the
import with nothing sent. Details: docs/imaging.md.

  --fhir BASE        post the transaction to this FHIR base URL
  --client-id ID     SMART Backend Services client id (with --fhir)
  --key FILE         its private JWK, RS384 or ES384 (with --fhir); asks for system/<type>.cu
                     (ImagingStudy also .s: a study UID the server holds for another patient is refused)
  --out FILE         write the transaction Bundle to FILE instead (patients' data: owner-only, 0600;
                     FILE's folder must exist, it is not created)
  --wado BASE        DICOMweb WADO-RS base: a CSAE heat map the SR references becomes a Media
  --help             this text`;

const VALUE_OPTIONS = ["--fhir", "--out", "--client-id", "--key", "--wado"] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

interface ImportArgs {
  files: string[];
  out?: string;
  /** DICOMweb WADO-RS base: links a CSAE heat map that the SR references. */
  wado?: string;
  /** Where to post, as which SMART Backend Services client (its id and private JWK file). */
  fhir?: ImportTarget;
}

function parseArgs(argv: string[]): ImportArgs {
  const files: string[] = [];
  const values: Partial<Record<ValueOption, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((VALUE_OPTIONS as readonly string[]).includes(arg)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      values[arg as ValueOption] = value;
    } else if (arg.startsWith("--")) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new UsageError("no SR files given");
  const { "--fhir": base, "--out": out, "--client-id": clientId, "--key": keyFile, "--wado": wado } = values;
  if ((base === undefined) === (out === undefined)) throw new UsageError("give exactly one of --fhir BASE and --out FILE");
  if (wado !== undefined && !isHttpUrl(wado)) throw new UsageError("--wado must be an http(s) URL");
  const common = { files, ...(wado !== undefined && { wado }) };
  if (base === undefined) {
    // Said before any SR is read, not as an ENOENT once they all were.
    checkOutputFile("--out", out!);
    return { ...common, out: out! };
  }
  if (!isTlsOrLoopback(base)) throw new UsageError("--fhir must be an https URL (plain http only on loopback): the token and the patients' results would cross the network in the clear");
  if (clientId === undefined || keyFile === undefined) throw new UsageError("--fhir needs --client-id and --key (SMART Backend Services)");
  return { ...common, fhir: { base, clientId, keyFile } };
}

/** A file's bytes; one far larger than any SR is refused before it is read into memory. */
async function readSrBytes(file: string): Promise<Uint8Array> {
  const cannot = (e: NodeJS.ErrnoException) => {
    throw new SrFileError(file, `cannot be read (${e.code ?? e.message})`);
  };
  const { size } = await stat(file).catch(cannot);
  if (size > MAX_SR_BYTES) throw new SrFileError(file, `is ${size} bytes, more than an SR can be (${MAX_SR_BYTES})`);
  return readFile(file).catch(cannot);
}

/**
 * Stops an import whose files contradict each other: one SR instance in two files (the later
 * would silently overwrite the earlier's resources, which share its ids), or one study under two
 * patients (the study's one ImagingStudy would name the last file's patient for both).
 */
class ImportFiles {
  private readonly bySop = new Map<string, string>();
  private readonly byStudy = new Map<string, { file: string; patientId: string }>();

  add(file: string, identity: SrIdentity): void {
    const sameSop = this.bySop.get(identity.sopUid);
    if (sameSop !== undefined) throw new SrFileError(file, `SOP Instance UID ${identity.sopUid} is also that of ${sameSop}`);
    const sameStudy = this.byStudy.get(identity.studyUid);
    if (sameStudy !== undefined && sameStudy.patientId !== identity.patientId) {
      throw new SrFileError(file, `Study Instance UID ${identity.studyUid} is also in ${sameStudy.file}, for another patient`);
    }
    this.bySop.set(identity.sopUid, file);
    this.byStudy.set(identity.studyUid, { file, patientId: identity.patientId });
  }
}

export async function runImport(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  if (argv.includes("--help")) {
    log(HELP);
    return 0;
  }
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log(`${error.message}\n${USAGE}`);
    return 2;
  }
  const reports: SrReport[] = [];
  const fileOf = new Map<SrReport, string>();
  const skipped: string[] = [];
  const files = new ImportFiles();
  try {
    for (const file of args.files) {
      const bytes = await readSrBytes(file);
      const reading = readSrFile(file, bytes, args.wado === undefined ? {} : { wadoRsBase: args.wado });
      if (reading.identity !== null) files.add(file, reading.identity);
      for (const report of reading.reports) fileOf.set(report, file);
      reports.push(...reading.reports);
      skipped.push(...reading.skipped);
    }
  } catch (error) {
    if (!(error instanceof SrFileError)) throw error;
    log(`${error.message}\nNothing was imported.`);
    return 1;
  }
  try {
    const server = args.fhir === undefined ? null : await checkedOnServer(args.fhir, reports, log);
    for (const report of server?.refused ?? []) {
      skipped.push(`${fileOf.get(report)}: ${report.kind} result: Study Instance UID ${report.studyUid} is already on the FHIR server for another patient; a DICOM UID names one study, so the SR or the server's record is wrong; skipped`);
    }
    const { bundle, imported, skipped: refused } = server?.built ?? buildImportBundle(reports);
    skipped.push(...refused);
    for (const line of skipped) log(`skipped: ${line}`);
    // The transaction names patients: 0600 whatever the umask, as the population job's files.
    if (args.out !== undefined) writeFileOwnerOnly(args.out, JSON.stringify(bundle, null, 2));
    else if (server !== null && server.tokens !== null && (bundle.entry ?? []).length > 0) await postTransaction(args.fhir!, server.tokens, bundle);
    const summary = Object.entries(imported).map(([kind, n]) => `${kind} ${n}`).join(", ") || "none";
    log(`${args.files.length} files read; results imported: ${summary}; ${skipped.length} items skipped; ${(bundle.entry ?? []).length} resources ${args.out !== undefined ? `written to ${args.out}` : `posted to ${args.fhir!.base}`}`);
    return 0;
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

/**
 * The reports the server already holds a Study Instance UID of for another patient (refused:
 * import-server.ts says why), the transaction of the rest (built again only when some were
 * refused), and the token to post it. No token when there is nothing to send.
 */
async function checkedOnServer(
  target: ImportTarget,
  reports: readonly SrReport[],
  log: (line: string) => void,
): Promise<{ refused: SrReport[]; tokens: TokenSource | null; built: ImportBundle }> {
  const built = buildImportBundle(reports);
  if ((built.bundle.entry ?? []).length === 0) return { refused: [], tokens: null, built };
  const tokens = await importToken(target, built.bundle, log);
  const clashes = await studiesOfOtherPatients(target, tokens, new Map(reports.map((r) => [r.studyUid, r.patientId])));
  const refused = reports.filter((r) => clashes.has(r.studyUid));
  const kept = reports.filter((r) => !clashes.has(r.studyUid));
  return { refused, tokens, built: refused.length === 0 ? built : buildImportBundle(kept) };
}
