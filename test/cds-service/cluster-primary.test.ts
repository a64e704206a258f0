/**
 * `npm run serve` with several worker processes: they share the port and one replay cache, so
 * a token is accepted once whichever worker a connection lands on; a worker that cannot start
 * stops the service. The primary copies the replay file's write-ahead log into the database
 * (workers never checkpoint: storage/wal-checkpointer.ts).
 */
import Database from "better-sqlite3";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getOnNewConnection, serveJwks, serviceDir, startMainWithEhr } from "./support/main-with-ehr.ts";
import { runMain } from "./support/run-main.ts";
import { createTestEhr } from "./support/test-ehr.ts";
import { PUBLIC_BASE_URL } from "./support/test-service.ts";

/** Used token ids in the replay database file itself, leaving out what is still only in its log. */
function idsInDatabaseFile(replayFile: string): number {
  const dir = mkdtempSync(join(tmpdir(), "patella-replay-copy-"));
  const copy = join(dir, "replay.sqlite");
  copyFileSync(replayFile, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM seen_jti").pluck().get() as number;
  } catch {
    return 0; // the table itself is still only in the log
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

describe("npm run serve with two workers", () => {
  it("accepts a token once, whichever worker a replay reaches", async () => {
    const ehr = await createTestEhr("https://ehr.cluster.test");
    const jwks = await serveJwks(ehr);
    const dir = serviceDir();
    const { url, startOutput, main } = await startMainWithEhr(ehr, jwks, dir, { workers: 2 });
    try {
      expect(startOutput).toContain('"workers":2');
      const token = await ehr.sign(`${PUBLIC_BASE_URL}/cds-services`);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await getOnNewConnection(`${url}/cds-services`, token));
      expect(statuses).toEqual([200, 401, 401, 401]);
      // A fresh token still works on both workers.
      expect(await getOnNewConnection(`${url}/cds-services`, await ehr.sign(`${PUBLIC_BASE_URL}/cds-services`))).toBe(200);
      expect(await getOnNewConnection(`${url}/cds-services`, await ehr.sign(`${PUBLIC_BASE_URL}/cds-services`))).toBe(200);
      // Three ids were used; the primary checkpoints once a second.
      expect(await eventually(() => idsInDatabaseFile(join(dir, "replay.sqlite")) === 3, 10_000)).toBe(true);
    } finally {
      main.kill();
      jwks.close();
    }
    const { code, out } = await main.done;
    expect(code).toBe(0);
    expect(out).toContain('"msg":"stopped"');
  }, 120_000);

  it("stops with exit code 1 when a worker cannot start", async () => {
    const dir = serviceDir();
    const main = runMain({
      PORT: "0",
      PATELLA_CDS_WORKERS: "2",
      PATELLA_CDS_PUBLIC_URL: PUBLIC_BASE_URL,
      PATELLA_MODEL_PATH: join(dir, "no-such-model.onnx"),
      PATELLA_FEEDBACK_DB: join(dir, "feedback.sqlite"),
    });
    const { code, out } = await main.done;
    expect(code).toBe(1);
    expect(out).toContain("Cannot read model file");
    expect(out).toContain("a worker failed to start");
  }, 120_000);
});
