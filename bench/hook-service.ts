/**
 * The CDS service as the hook benches (hook.ts, hook-threads.ts) run it: `npm run serve`'s entry
 * point (the cluster primary and its workers) in a child process with a config file of the
 * bench's, stopped with SIGTERM.
 */
import { spawn } from "node:child_process";
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

/** Starts the service with `config` (written into `dir`) and waits until every worker listens. */
export async function startBenchService(config: Record<string, unknown>, dir: string, options: BenchServiceOptions = {}): Promise<BenchService> {
  const configPath = join(dir, "cds-config.json");
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), "--import", "tsx", fileURLToPath(new URL("../cds-service/main.ts", import.meta.url))], {
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
