import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteFeedbackStore } from "../../../cds-service/feedback/sqlite-feedback-store.ts";
import { openSqliteReplayCache } from "../../../cds-service/security/sqlite-replay-cache.ts";
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

/** Runs `processes` copies of support/open-fresh-databases.ts, started together; their output lines. */
async function openTogether(prefix: string, processes: number, files: number): Promise<string[]> {
  const script = fileURLToPath(new URL("../support/open-fresh-databases.ts", import.meta.url));
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ["--import", "tsx", script, prefix, String(files), String(FILE_SPACING_MS)], { cwd: process.cwd(), stdio: ["pipe", "pipe", "inherit"] }),
  );
  const outputs = children.map(
    (child) =>
      new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`opener exited ${code}: ${out}`))));
      }),
  );
  // A child that dies before it is ready (a load error) fails the test at once, with its code.
  const ready = children.map(
    (child) =>
      new Promise<void>((resolve, reject) => {
        child.stdout.once("data", () => resolve());
        child.once("exit", (code) => reject(new Error(`opener exited ${code} before it was ready`)));
        child.once("error", reject);
      }),
  );
  await Promise.all(ready);
  const start = Date.now() + 200;
  for (const child of children) child.stdin.end(`${start}\n`);
  return (await Promise.all(outputs)).flatMap((out) => out.split("\n").filter((line) => line !== "" && line !== "ready"));
}

/** Time between two fresh files, so that each file's openers start together and finish before the next. */
const FILE_SPACING_MS = 60;

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

  // Workers starting together open a fresh file together. Before the retry in switchToWal,
  // about one open in eight failed here with SQLITE_BUSY.
  it("opens a fresh file that 4 processes open at the same moment, 40 times over, without 'database is locked'", async () => {
    dir = mkdtempSync(join(tmpdir(), "patella-sqlite-"));
    const results = await openTogether(join(dir, "fresh"), 4, 40);
    expect(results).toHaveLength(160);
    expect(results.filter((r) => r !== "ok")).toEqual([]);
  }, 60_000);
});

/** A file's permission bits, in octal as ls shows them ("600"). */
const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);

/** Runs `body` with this umask, then puts the process's own back. */
function withUmask<T>(mask: number, body: () => T): T {
  const before = process.umask(mask);
  try {
    return body();
  } finally {
    process.umask(before);
  }
}

// The files hold hook instance ids, card ids and used token ids: no other user of the machine
// may read them, whatever the umask (022, the usual default, gives 0644 files).
describe("the SQLite state files' mode", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const MIGRATION = [{ version: 1, sql: "CREATE TABLE seen (id TEXT PRIMARY KEY)" }];

  for (const mask of [0o022, 0o000]) {
    it(`creates the database and its WAL and shared-memory files 0600 under umask ${mask.toString(8).padStart(3, "0")}`, () => {
      dir = mkdtempSync(join(tmpdir(), "patella-sqlite-mode-"));
      const path = join(dir, "nested", "state.sqlite");
      const db = withUmask(mask, () => openSqliteDatabase(path, "replay", MIGRATION));
      try {
        withUmask(mask, () => db.prepare("INSERT INTO seen (id) VALUES (?)").run("jti-1"));
        expect(existsSync(`${path}-wal`)).toBe(true);
        expect({ db: modeOf(path), wal: modeOf(`${path}-wal`), shm: modeOf(`${path}-shm`) }).toEqual({ db: "600", wal: "600", shm: "600" });
      } finally {
        db.close();
      }
    });
  }

  it("makes an earlier version's 0644 database and its -wal/-shm files (still open, not empty) 0600, keeping what they hold", () => {
    dir = mkdtempSync(join(tmpdir(), "patella-sqlite-mode-"));
    const path = join(dir, "state.sqlite");
    // An earlier version's worker, still running: its log holds rows not yet copied into the
    // database (SQLite itself fixes the mode of an empty -wal or -shm only).
    const old = withUmask(0o022, () => {
      const db = new Database(path);
      db.pragma("journal_mode = WAL");
      db.pragma("wal_autocheckpoint = 0");
      db.exec("CREATE TABLE earlier (id TEXT PRIMARY KEY); INSERT INTO earlier VALUES ('kept')");
      return db;
    });
    try {
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
      expect(statSync(`${path}-shm`).size).toBeGreaterThan(0);
      expect([modeOf(path), modeOf(`${path}-wal`), modeOf(`${path}-shm`)]).toEqual(["644", "644", "644"]);
      const db = openSqliteDatabase(path, "replay", MIGRATION);
      try {
        expect([modeOf(path), modeOf(`${path}-wal`), modeOf(`${path}-shm`)]).toEqual(["600", "600", "600"]);
        expect(db.prepare("SELECT id FROM earlier").pluck().all()).toEqual(["kept"]);
      } finally {
        db.close();
      }
      // The older connection still reads and writes after another opened and closed the file.
      // (Whether its POSIX locks on the database file survived, the reason makeOwnerOnly opens
      // only a file it creates, is not observable from here: in WAL mode another process is held
      // off by the shared-memory file's locks, which a dropped database-file lock leaves in place.)
      old.prepare("INSERT INTO earlier VALUES (?)").run("after");
      expect(old.prepare("SELECT id FROM earlier ORDER BY id").pluck().all()).toEqual(["after", "kept"]);
    } finally {
      old.close();
    }
  });

  it("gives the feedback store's and the used-token cache's files 0600 under umask 022", async () => {
    dir = mkdtempSync(join(tmpdir(), "patella-sqlite-mode-"));
    const feedbackPath = join(dir, "cds-feedback.sqlite");
    const replayPath = join(dir, "cds-replay.sqlite");
    const { feedback, replay } = withUmask(0o022, () => ({ feedback: openSqliteFeedbackStore(feedbackPath), replay: openSqliteReplayCache(replayPath, 60_000) }));
    try {
      await expect(replay.remember("jti-1")).resolves.toBe(true);
      for (const file of [feedbackPath, `${feedbackPath}-wal`, `${feedbackPath}-shm`, replayPath, `${replayPath}-wal`, `${replayPath}-shm`]) {
        expect(modeOf(file), file).toBe("600");
      }
    } finally {
      feedback.close();
      replay.close();
    }
  });
});
