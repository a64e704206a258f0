/**
 * The bench scripts' command lines (bench/bench-args.ts): `--help` prints the usage and the
 * script's header comment and exits 0 at once, and an unknown option is a usage error (exit 2).
 * The benchmarks themselves are never run here: each script is started with --help only, in its
 * own process group, killed if it has not exited well before a benchmark could end.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { benchArgs } from "../../bench/bench-args.ts";

const ROOT = join(import.meta.dirname, "../..");
/** The scripts: every bench/*.ts but the modules they import (bench-args.ts, hook-service.ts, ...), which export. */
const SCRIPTS = readdirSync(join(ROOT, "bench"))
  .filter((name) => name.endsWith(".ts") && !/^export /m.test(readFileSync(join(ROOT, "bench", name), "utf8")))
  .sort();
/** Far below any benchmark's run time (bench:app's imports, vite and Playwright, take ~5 s on 2 cores). */
const HELP_LIMIT_MS = 25_000;

function runScript(name: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", join("bench", name), ...args], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // A script that ignored --help would start its benchmark: stop it and everything it started.
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), HELP_LIMIT_MS);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe("bench scripts", () => {
  it("are every bench/*.ts but the modules they import, and include every npm bench:* script", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const benchScripts = Object.entries(pkg.scripts).filter(([name]) => name.startsWith("bench:"));
    expect(benchScripts.length).toBeGreaterThan(0);
    for (const [name, command] of benchScripts) expect(SCRIPTS, name).toContain(/bench\/(\S+\.ts)/.exec(command)?.[1]);
  });

  it.each(SCRIPTS)("%s --help prints its usage and the options of its header comment, and exits 0 at once", async (name) => {
    const result = await runScript(name, ["--help"]);
    expect(result.code, `${result.stderr} (after ${result.ms} ms)`).toBe(0);
    const [usage, ...rest] = result.stdout.split("\n");
    expect(usage).toMatch(/^usage: /);
    // Every option the script accepts is explained in the header comment it prints.
    const header = rest.join("\n");
    expect(header.length).toBeGreaterThan(50);
    for (const option of usage!.match(/--[a-z][a-z-]*/g)!.filter((o) => o !== "--help")) expect(header, option).toContain(option);
  }, HELP_LIMIT_MS + 5_000);
});

describe("benchArgs", () => {
  const SCRIPT = new URL("../../bench/hook-threads.ts", import.meta.url).href;
  const SPEC = { command: "npx tsx bench/x.ts", options: { requests: { value: "N" }, "node-flags": { value: '"..."' }, "stages-only": { flag: true } } } as const;

  /** Runs benchArgs (then `read` on its result) with process.exit and the output caught. */
  function exits(argv: string[], read: (args: ReturnType<typeof benchArgs<typeof SPEC.options>>) => unknown = () => undefined): { code: number | undefined; stdout: string; stderr: string } {
    let stdout = "";
    let stderr = "";
    vi.spyOn(process.stdout, "write").mockImplementation((text) => ((stdout += String(text)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((text) => ((stderr += String(text)), true));
    vi.spyOn(process, "exit").mockImplementation((code) => {
      throw Object.assign(new Error("exit"), { exitCode: code });
    });
    try {
      read(benchArgs(SCRIPT, SPEC, argv));
      return { code: undefined, stdout, stderr };
    } catch (error) {
      return { code: (error as { exitCode?: number }).exitCode, stdout, stderr };
    } finally {
      vi.restoreAllMocks();
    }
  }
  afterEach(() => vi.restoreAllMocks());

  it("refuses an unknown option, a missing value and a bad number with the usage line (exit 2)", () => {
    const usage = 'usage: npx tsx bench/x.ts [--requests N] [--node-flags "..."] [--stages-only] [--help]';
    const unknown = exits(["--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^bench\/hook-threads\.ts: Unknown option '--bogus'/);
    expect(unknown.stderr).toContain(`\n${usage}\n(--help explains the options)\n`);
    expect(exits(["--requests"]).code).toBe(2);
    expect(exits(["positional"]).code).toBe(2);
    const bad = exits(["--requests", "many"], (args) => args.wholeNumber("requests", 1));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--requests needs a whole number of at least 1, got "many"');
  });

  it("prints the usage and the header comment for --help or -h (exit 0)", () => {
    for (const flag of ["--help", "-h"]) {
      const help = exits(["--requests", "5", flag]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^usage: npx tsx bench\/x\.ts .*\n\n`npx tsx bench\/hook-threads\.ts \[--requests N\]/);
      expect(help.stdout).not.toMatch(/^\s*\*/m);
    }
  });

  it("reads values, numbers and switches, a value that starts with a dash included", () => {
    const args = benchArgs(SCRIPT, SPEC, ["--requests", "40", "--node-flags", "--max-semi-space-size=32 --trace-gc", "--stages-only"]);
    expect(args.wholeNumber("requests", 1)).toBe(40);
    expect(args.values["node-flags"]).toBe("--max-semi-space-size=32 --trace-gc");
    expect(args.values["stages-only"]).toBe(true);
    expect(benchArgs(SCRIPT, SPEC, []).wholeNumber("requests", 7)).toBe(7);
  });
});
