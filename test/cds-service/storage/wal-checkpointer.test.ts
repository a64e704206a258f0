import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../../cds-service/storage/sqlite-database.ts";
import { startWalCheckpointer } from "../../../cds-service/storage/wal-checkpointer.ts";

const ROWS = 6000;
const ROW_BYTES = 2000; // 6000 x 2 KB = about 12 MB, about 3000 pages of 4 KiB: three times SQLite's automatic threshold

describe("WAL checkpoints by the cluster primary", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("a worker's connection never checkpoints; the checkpointer copies the whole log into the database file", () => {
    dir = mkdtempSync(join(tmpdir(), "patella-wal-"));
    const path = join(dir, "state.sqlite");
    const db = openSqliteDatabase(path, "feedback", [{ version: 1, sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)" }], "external");
    const insert = db.prepare("INSERT INTO t (payload) VALUES (?)");
    // One commit per row, as the service writes: each could trigger an automatic checkpoint.
    for (let i = 0; i < ROWS; i++) insert.run("x".repeat(ROW_BYTES));

    // Nothing was copied back: the rows are all in the log, none in the database file. (With
    // automatic checkpoints the log restarts after 1000 pages and the file holds most rows.)
    const payloadBytes = ROWS * ROW_BYTES;
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(payloadBytes);
    expect(statSync(path).size).toBeLessThan(payloadBytes / 10);

    const checkpointer = startWalCheckpointer([path], pino({ level: "silent" }), 60_000);
    const [copied] = checkpointer.checkpointNow();
    checkpointer.stop();
    expect(copied).toBeGreaterThan(payloadBytes / 4096);
    expect(statSync(path).size).toBeGreaterThan(payloadBytes);
    expect(db.prepare("SELECT count(*) FROM t").pluck().get()).toBe(ROWS);
    db.close();
  });
});
