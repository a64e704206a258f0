/** Command-line parsing shared by the population commands: clear messages, never a stack trace. */
import { statSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** parseArgs with its errors turned into UsageErrors. */
export function parseCommandLine<T extends ParseArgsConfig["options"]>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A non-negative integer option, or undefined when absent. */
export function integerOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return Number(value);
}

/**
 * For an option naming a file to write (`--out FILE`, or a prefix's file): refuses, before any
 * input is read, a file whose folder does not exist or is not a folder, and a file that is a
 * folder (features' --out PREFIX, imaging:import's --out FILE). The commands whose --out is a
 * folder (population, cohort, evaluate, recalibrate) create it, with its missing parents, instead.
 */
export function checkOutputFile(option: string, file: string): void {
  const folder = dirname(file);
  const kind = (path: string) => {
    try {
      return statSync(path).isDirectory() ? "folder" : "file";
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return "missing";
      throw new UsageError(`${option}: cannot use the folder ${folder} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  const folderKind = kind(folder);
  if (folderKind === "missing") throw new UsageError(`${option}: the output folder ${folder} does not exist; create it first`);
  if (folderKind === "file") throw new UsageError(`${option}: ${folder} is not a folder`);
  if (kind(file) === "folder") throw new UsageError(`${option}: ${file} is a folder; give a file name`);
}

/** Whether the command line asks for the usage text (--help or -h anywhere). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

/** Runs a command's main, printing its usage for --help, known errors as one line and exiting non-zero. */
export function runMain(usage: string, main: () => Promise<void>): void {
  if (wantsHelp(process.argv.slice(2))) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  main().catch((error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${usage}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  });
}
