/** Starts `npm run serve` (cds-service/main.ts) as a child process and watches its output. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface RunningMain {
  /** Resolves when the process exits, with everything it printed. */
  done: Promise<{ code: number | null; out: string }>;
  kill: () => void;
  /** Resolves with the output so far once it contains `text` (60 s at most: a loaded machine loads the model slowly). */
  waitFor: (text: string) => Promise<string>;
}

/** main.ts through the TypeScript runner; the compiled build/cds-service/main.js is the other entry. */
const TSX_MAIN = ["--import", "tsx", "cds-service/main.ts"];

/** Runs main.ts (or `nodeArgs`) with only PATH and `env` in its environment. */
export function runMain(env: Record<string, string>, nodeArgs: readonly string[] = TSX_MAIN): RunningMain {
  const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env } });
  let out = "";
  const listeners: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return {
    done: new Promise((resolve) => child.on("exit", (code) => resolve({ code, out }))),
    kill: () => child.kill("SIGTERM"),
    waitFor: (text) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for "${text}"; output:\n${out}`)), 60_000);
        const check = () => {
          if (out.includes(text)) {
            clearTimeout(timer);
            resolve(out);
          }
        };
        listeners.push(check);
        check();
      }),
  };
}
