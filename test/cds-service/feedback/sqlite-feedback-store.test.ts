/**
 * The SQLite feedback store (the default): the merging contract shared with PostgreSQL, and two
 * workers accepting different suggestions of one card at the same moment.
 */
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteFeedbackStore, type SqliteFeedbackStore } from "../../../cds-service/feedback/sqlite-feedback-store.ts";
import { accepted, feedbackMergingTests, PHYSIO, WEIGHT } from "./feedback-store-contract.ts";

/**
 * Another worker in the middle of accepting WEIGHT on `cardUuid`, the card's first feedback: it
 * holds the write lock with its row written but not committed for `holdMs`, then commits.
 */
function workerAcceptingWeight(path: string, cardUuid: string, holdMs: number): Promise<{ done: Promise<void> }> {
  const script = `
    import Database from "better-sqlite3";
    const db = new Database(${JSON.stringify(path)});
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO card_feedback VALUES (?, 'koa-risk', 'https://ehr.contract.example', 'accepted', 1, NULL, NULL, ?, ?, ?)")
      .run(${JSON.stringify(cardUuid)}, '["accepted",["${WEIGHT}"],null]', "2024-06-01T09:59:00Z", "2024-06-01T09:59:00.500Z");
    process.stdout.write("locked\\n");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
    db.exec("COMMIT");
    db.close();`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
  const done = new Promise<void>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`)))));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("locked")) resolve({ done });
    });
    child.on("error", reject);
    done.catch(reject);
  });
}

describe("SQLite feedback store", () => {
  const path = join(mkdtempSync(join(tmpdir(), "patella-feedback-store-")), "feedback.sqlite");
  let store: SqliteFeedbackStore;
  let raw: Database.Database;

  beforeAll(() => {
    store = openSqliteFeedbackStore(path);
    raw = new Database(path, { readonly: true });
  });
  afterAll(() => {
    raw?.close();
    store?.close();
  });

  feedbackMergingTests(() => ({
    store,
    acceptedSuggestionsColumn: async (cardUuid) => raw.prepare("SELECT accepted_suggestions FROM card_feedback WHERE card_uuid = ?").pluck().get(cardUuid) as number,
  }));

  it("waits for another worker accepting the other suggestion at the same moment, and keeps both", async () => {
    const card = randomUUID();
    await store.recordIssued({
      cardUuid: card,
      serviceId: "koa-risk",
      hookInstance: randomUUID(),
      tier: "high",
      issuer: "https://ehr.contract.example",
      issuedAt: "2024-06-01T09:00:00.000Z",
      suggestionIds: [PHYSIO, WEIGHT],
      overrideReasons: [],
    });
    const worker = await workerAcceptingWeight(path, card, 300);
    const started = Date.now();
    // The store waits (busy timeout 2 s) for the worker's commit, then merges into its row.
    expect(await store.recordFeedback([accepted(card, [PHYSIO], 1)])).toEqual({ stored: 1, repeated: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    await worker.done;
    expect(await store.feedbackFor(card)).toMatchObject({
      outcome: "accepted",
      acceptedSuggestionIds: [PHYSIO, WEIGHT],
      outcomeTimestamp: "2024-06-01T09:59:00Z",
      receivedAt: "2024-06-01T09:59:00.500Z",
    });
    expect(raw.prepare("SELECT accepted_suggestions FROM card_feedback WHERE card_uuid = ?").pluck().get(card)).toBe(2);
  });
});
