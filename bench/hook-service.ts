/**
 * The CDS service as the hook benches (hook.ts, hook-threads.ts) run it: what `npm run serve`
 * runs, the compiled entry point (build/cds-service/main.js, the cluster primary and its workers),
 * in a child process with a config file of the bench's, stopped with SIGTERM. The bench compiles
 * it first, as `npm run build` does, so the figures are those of the JavaScript production runs,
 * not of the TypeScript runner (tsx adds a loader thread and its own transform).
 */
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface BenchService {
  url: string;
  workers: number;
  pid: number;
  stop(): Promise<void>;
}

export interface BenchServiceOptions {
  /** Flags for node (cluster.fork passes them on to every worker), e.g. --cpu-prof. */
  nodeFlags?: readonly string[];
  /** Receives the service's stdout lines that are not JSON log lines (e.g. --trace-gc output). */
  onOtherLine?: (line: string) => void;
}

const REPO = fileURLToPath(new URL("../", import.meta.url));
let built: Promise<string> | undefined;

/** `npm run build` (tsc -p tsconfig.build.json into build/), once per bench; the entry point. */
function buildService(): Promise<string> {
  built ??= promisify(execFile)(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: REPO }).then(() =>
    join(REPO, "build/cds-service/main.js"),
  );
  return built;
}

/** Starts the service with `config` (written into `dir`) and waits until every worker listens. */
export async function startBenchService(config: Record<string, unknown>, dir: string, options: BenchServiceOptions = {}): Promise<BenchService> {
  const configPath = join(dir, "cds-config.json");
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), await buildService()], {
    env: { ...process.env, PATELLA_CDS_CONFIG: configPath },
  });
  child.stderr.pipe(process.stderr);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // If the bench dies early (error, Ctrl-C, a closed pipe), it must not leave the service running.
  process.once("exit", () => child.kill("SIGTERM"));
  const ready = await new Promise<{ url: string; workers: number }>((resolve, reject) => {
    // Production logs one line per request; after startup they are read and dropped.
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.includes('"CDS service listening"')) {
        const { url, workers } = JSON.parse(line) as { url: string; workers: number };
        resolve({ url, workers });
      } else if (!line.startsWith("{")) options.onOtherLine?.(line);
    });
    void exited.then(() => reject(new Error(`the service exited with ${child.exitCode} before listening`)));
  });
  return {
    ...ready,
    pid: child.pid!,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
