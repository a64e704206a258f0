/** Command-line parsing shared by the population commands: clear messages, never a stack trace. */
import { accessSync, constants, realpathSync, type Stats, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
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
 * folder (population, cohort, evaluate, recalibrate) create it, with its missing parents, instead
 * (evaluate and recalibrate check it first: checkOutputFolder).
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

/**
 * For an option naming a folder that a command creates, with its missing parents, only when its
 * long work is done (evaluate's and recalibrate's --out): refuses, before that work, what would
 * then fail, a path through a file or a folder the user cannot write in, so that a mistake shows
 * at once instead of after minutes of scoring. Nothing is created here: a run that fails later
 * leaves no empty folder behind.
 */
export function checkOutputFolder(option: string, folder: string): void {
  // The nearest of the folder and its parents that exists: the one the creation would write in.
  let existing = resolve(folder);
  let stats: Stats;
  for (;;) {
    try {
      stats = statSync(existing);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw new UsageError(`${option}: cannot use ${existing} (${code ?? (error as Error).message})`);
      existing = dirname(existing);
    }
  }
  if (!stats.isDirectory()) throw new UsageError(`${option}: ${existing} is not a folder`);
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new UsageError(`${option}: cannot write in ${existing} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/**
 * Whether the module at `moduleUrl` (its import.meta.url) is the script node was started with.
 * Node gives the main module its real path, links resolved, but leaves process.argv[1] as it was
 * typed: the two are compared as real paths, or a script started by a path through a symbolic
 * link (a checkout reached by one) would silently do nothing.
 */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch (error) {
    // No such file: node was not started with a script (node -e, a REPL).
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
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
