/**
 * A child process for sqlite-database.test.ts, standing in for a worker at start: it opens
 * `count` fresh database files `<prefix>-<i>.sqlite`, file i at `start + i * spacingMs`, so that
 * several such processes open each file at the same moment. Reads `start` (epoch ms) from stdin
 * after printing "ready"; prints one line per file, "ok" or the error's code.
 */
import { once } from "node:events";
import { createInterface } from "node:readline";
import { openSqliteDatabase } from "../../../cds-service/storage/sqlite-database.ts";

const [prefix, count, spacingMs] = process.argv.slice(2);
process.stdout.write("ready\n");
const [startLine] = (await once(createInterface({ input: process.stdin }), "line")) as [string];
const start = Number(startLine);
const results: string[] = [];
/** The last milliseconds before each open are spun, not slept: a late wake-up would spread the
 * processes apart; sleeping until then keeps 4 spinning processes from starving 2 cores. */
const SPIN_MS = 3;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
for (let i = 0; i < Number(count); i++) {
  const at = start + i * Number(spacingMs);
  const sleepMs = at - Date.now() - SPIN_MS;
  if (sleepMs > 0) Atomics.wait(sleeper, 0, 0, sleepMs);
  while (Date.now() < at) {
    // spin
  }
  try {
    openSqliteDatabase(`${prefix}-${i}.sqlite`, "replay", [{ version: 1, sql: "CREATE TABLE seen (id TEXT PRIMARY KEY)" }]).close();
    results.push("ok");
  } catch (err) {
    results.push(String((err as { code?: string }).code ?? (err as Error).message));
  }
}
process.stdout.write(results.join("\n") + "\n");
