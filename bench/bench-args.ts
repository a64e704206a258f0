/**
 * The command line of every bench script: `--help` (or `-h`) prints a usage line and the
 * script's header comment, which explains its options, and exits 0 before anything is measured;
 * an unknown option, a missing value or a bad number prints the problem and the usage line and
 * exits 2. A string option takes the next argument as its value even when that starts with "-"
 * (`--node-flags "--max-semi-space-size=32"`).
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommandLine, wantsHelp } from "../models/features/cli-args.ts";

/** A string option names its value in the usage line (`--requests N`); a boolean is a switch. */
export type BenchOptions = Record<string, { value: string } | { flag: true }>;

export interface BenchArgsSpec<O extends BenchOptions> {
  /** How the script is run, e.g. "npm run bench:hook --" or "npx tsx bench/hook-threads.ts". */
  command: string;
  options: O;
  /** Names the positional arguments (e.g. "FILE.cpuprofile..."); none are accepted without it. */
  positionals?: string;
}

type Values<O extends BenchOptions> = { [K in keyof O]?: O[K] extends { flag: true } ? boolean : string };

export interface BenchArgs<O extends BenchOptions> {
  values: Values<O>;
  positionals: string[];
  /** A whole-number option (at least `min`, default 1), `fallback` when absent; anything else is a usage error. */
  wholeNumber(name: keyof O & string, fallback: number, min?: number): number;
  /** Prints `message` and the usage line, and exits 2. */
  usageError(message: string): never;
}

/** The first block comment of `file`, without its comment marks. */
function headerComment(file: string): string {
  const block = /^\s*\/\*\*?([\s\S]*?)\*\//.exec(readFileSync(file, "utf8"))?.[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.replace(/^\s*\* ?/, ""))
    .join("\n")
    .trim();
}

function usageLine(spec: BenchArgsSpec<BenchOptions>): string {
  const options = Object.entries(spec.options).map(([name, o]) => ("value" in o ? `[--${name} ${o.value}]` : `[--${name}]`));
  return ["usage:", spec.command, ...options, ...(spec.positionals === undefined ? [] : [spec.positionals]), "[--help]"].join(" ");
}

/** Joins `--name value` into `--name=value` for string options, so that a value may start with "-". */
function joinValues(argv: readonly string[], options: BenchOptions): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.startsWith("--") ? argv[i]!.slice(2) : undefined;
    const option = name === undefined ? undefined : options[name];
    if (option !== undefined && "value" in option && i + 1 < argv.length) joined.push(`${argv[i]}=${argv[++i]}`);
    else joined.push(argv[i]!);
  }
  return joined;
}

/**
 * Reads the command line of the bench script at `scriptUrl` (its import.meta.url); exits for
 * --help (0) and for usage errors (2).
 */
export function benchArgs<O extends BenchOptions>(scriptUrl: string, spec: BenchArgsSpec<O>, argv: readonly string[] = process.argv.slice(2)): BenchArgs<O> {
  const file = fileURLToPath(scriptUrl);
  const usage = usageLine(spec);
  const fail = (message: string): never => {
    process.stderr.write(`bench/${basename(file)}: ${message}\n${usage}\n(--help explains the options)\n`);
    process.exit(2);
  };
  if (wantsHelp(argv)) {
    process.stdout.write(`${usage}\n\n${headerComment(file)}\n`);
    process.exit(0);
  }
  const config = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: "value" in o ? ("string" as const) : ("boolean" as const) }]));
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseCommandLine(joinValues(argv, spec.options), config, spec.positionals !== undefined);
  } catch (error) {
    return fail((error as Error).message);
  }
  const values = parsed.values as Values<O>;
  return {
    values,
    positionals: parsed.positionals,
    wholeNumber(name, fallback, min = 1) {
      const text = parsed.values[name];
      if (text === undefined) return fallback;
      const value = Number(text);
      if (typeof text !== "string" || !/^\d+$/.test(text) || value < min) return fail(`--${name} needs a whole number of at least ${min}, got ${JSON.stringify(text)}`);
      return value;
    },
    usageError: fail,
  };
}
