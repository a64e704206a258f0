import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../../cds-service/storage/sqlite-database.ts";

// Another process (as a second worker starting at the same moment would) holds the write lock
// on a fresh database file for holdMs, then lets go.
function holdWriteLock(path: string, holdMs: number): Promise<{ released: Promise<void> }> {
  const script = `
    import Database from "better-sqlite3";
    const db = new Database(${JSON.stringify(path)});
    db.exec("BEGIN EXCLUSIVE");
    db.exec("CREATE TABLE IF NOT EXISTS other_component (x)");
    process.stdout.write("locked\\n");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
    db.exec("COMMIT");
    db.close();`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
  const released = new Promise<void>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`)))));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("locked")) resolve({ released });
    });
    child.on("error", reject);
  });
}

describe("openSqliteDatabase", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // Longer than better-sqlite3's default 5 s wait: a worker starting on a loaded machine has
  // failed with "database is locked" while another held the lock.
  it("waits at open for another process's write lock held longer than 5 s, instead of failing with 'database is locked'", async () => {
    dir = mkdtempSync(join(tmpdir(), "patella-sqlite-"));
    const path = join(dir, "state.sqlite");
    const { released } = await holdWriteLock(path, 6000);
    const db = openSqliteDatabase(path, "replay", [{ version: 1, sql: "CREATE TABLE seen (id TEXT PRIMARY KEY)" }]);
    await released;
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(["other_component", "schema_migrations", "seen"]);
    db.close();
  }, 30_000);
});
