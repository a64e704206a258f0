import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteReplayCache, type SqliteReplayCache } from "../../../cds-service/security/sqlite-replay-cache.ts";
import { expectReplayWindow } from "./replay-window-contract.ts";

describe("openSqliteReplayCache", () => {
  const opened: SqliteReplayCache[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const c of opened.splice(0)) c.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("refuses an id seen within the span and accepts it after", async () => {
    await expectReplayWindow((span, now) => {
      const cache = openSqliteReplayCache(":memory:", span, now);
      opened.push(cache);
      return cache;
    });
  });

  it("shares ids between two connections to one file, as worker processes do", async () => {
    const dir = mkdtempSync(join(tmpdir(), "patella-replay-"));
    dirs.push(dir);
    const path = join(dir, "nested", "replay.sqlite");
    const workerA = openSqliteReplayCache(path, 60_000);
    const workerB = openSqliteReplayCache(path, 60_000);
    opened.push(workerA, workerB);
    expect(await workerA.remember("iss\njti-1")).toBe(true);
    expect(await workerB.remember("iss\njti-1")).toBe(false);
    expect(await workerB.remember("iss\njti-2")).toBe(true);
    expect(await workerA.remember("iss\njti-2")).toBe(false);
  });

  it("survives a restart: a reopened file still knows the ids", async () => {
    const dir = mkdtempSync(join(tmpdir(), "patella-replay-"));
    dirs.push(dir);
    const path = join(dir, "replay.sqlite");
    const before = openSqliteReplayCache(path, 60_000);
    expect(await before.remember("jti-x")).toBe(true);
    before.close();
    const after = openSqliteReplayCache(path, 60_000);
    opened.push(after);
    expect(await after.remember("jti-x")).toBe(false);
  });
});
