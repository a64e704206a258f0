/**
 * The imaging import command (cli.ts runs it): reads every SR file first, then posts one
 * transaction or writes it. Returns the exit code: 0 done, 1 a file or the server failed
 * (nothing imported), 2 usage.
 */
import { readFile, writeFile } from "node:fs/promises";
import type { Bundle, OperationOutcome } from "fhir/r4";
import { buildImportBundle } from "./import-bundle.ts";
import { SrFileError, type SrReport, readSrFile } from "./read-sr.ts";

const USAGE = "usage: npm run imaging:import -- FILE... (--fhir BASE | --out FILE)";

class UsageError extends Error {}

function parseArgs(argv: string[]): { files: string[]; fhir?: string; out?: string } {
  const files: string[] = [];
  let fhir: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--fhir" || arg === "--out") {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      if (arg === "--fhir") fhir = value;
      else out = value;
    } else if (arg.startsWith("--")) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new UsageError("no SR files given");
  if ((fhir === undefined) === (out === undefined)) throw new UsageError("give exactly one of --fhir BASE and --out FILE");
  if (fhir !== undefined && !/^https?:\/\//.test(fhir)) throw new UsageError("--fhir must be an http(s) URL");
  return { files, fhir, out };
}

async function post(base: string, bundle: Bundle): Promise<void> {
  const headers: Record<string, string> = { "content-type": "application/fhir+json", accept: "application/fhir+json" };
  const token = process.env.PATELLA_FHIR_TOKEN;
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(base.replace(/\/+$/, "") + "/", { method: "POST", headers, body: JSON.stringify(bundle) });
  const body = (await response.json().catch(() => undefined)) as Bundle | OperationOutcome | undefined;
  if (!response.ok || body?.resourceType !== "Bundle") {
    const detail = body?.resourceType === "OperationOutcome" ? body.issue.map((i) => i.diagnostics ?? i.details?.text ?? i.code).join("; ") : "";
    throw new Error(`the FHIR server refused the transaction (HTTP ${response.status}${detail ? `: ${detail}` : ""}); nothing was imported`);
  }
}

export async function runImport(argv: string[], log: (line: string) => void = console.log): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log(`${error.message}\n${USAGE}`);
    return 2;
  }
  const reports: SrReport[] = [];
  const skipped: string[] = [];
  try {
    for (const file of args.files) {
      const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
        throw new SrFileError(file, `cannot be read (${e.code ?? e.message})`);
      });
      const reading = readSrFile(file, bytes);
      reports.push(...reading.reports);
      skipped.push(...reading.skipped);
    }
  } catch (error) {
    if (!(error instanceof SrFileError)) throw error;
    log(`${error.message}\nNothing was imported.`);
    return 1;
  }
  const { bundle, imported, skipped: refused } = buildImportBundle(reports);
  skipped.push(...refused);
  for (const line of skipped) log(`skipped: ${line}`);
  const summary = Object.entries(imported).map(([kind, n]) => `${kind} ${n}`).join(", ") || "none";
  try {
    if (args.out !== undefined) await writeFile(args.out, JSON.stringify(bundle, null, 2));
    else if ((bundle.entry ?? []).length > 0) await post(args.fhir!, bundle);
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    return 1;
  }
  log(`${args.files.length} files read; results imported: ${summary}; ${skipped.length} items skipped; ${(bundle.entry ?? []).length} resources ${args.out !== undefined ? `written to ${args.out}` : `posted to ${args.fhir}`}`);
  return 0;
}
