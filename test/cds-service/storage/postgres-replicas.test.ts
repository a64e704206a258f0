/**
 * Two replicas sharing one PostgreSQL server that this test starts and stops itself: one
 * in-process instance and one `npm run serve` process with PATELLA_DATABASE_URL, on different
 * ports. A token used at one is refused at the other, feedback given at either is in one
 * summary, and while the database is down both fail closed (503, never a card without the
 * replay check) and recover by themselves when it returns.
 */
import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../cds-service/config.ts";
import { OVERRIDE_REASON_SYSTEM } from "../../../cds-service/cards/override-reasons.ts";
import { openPostgresReplayCache } from "../../../cds-service/security/postgres-replay-cache.ts";
import { createPostgresPool } from "../../../cds-service/storage/postgres-pool.ts";
import { openServiceState } from "../../../cds-service/storage/open-service-state.ts";
import { startTestPostgres, type TestPostgres } from "../../support/postgres-server.ts";
import { expectReplayWindow } from "../security/replay-window-contract.ts";
import { hookBody, INDEX_DATE } from "../support/hook-requests.ts";
import { serveJwks, serviceDir, startMainWithEhr, type JwksServer, type MainWithEhr } from "../support/main-with-ehr.ts";
import { createTestEhr, type TestEhr } from "../support/test-ehr.ts";
import { HOOK_PATH, OPERATOR_TOKEN, PUBLIC_BASE_URL, startTestService, type TestService } from "../support/test-service.ts";

const silent = pino({ level: "silent" });
const FEEDBACK_PATH = `${HOOK_PATH}/feedback`;

describe("two replicas sharing PostgreSQL", () => {
  let db: TestPostgres;
  let ehr: TestEhr;
  let jwks: JwksServer;
  let a: TestService;
  let b: MainWithEhr;

  /** Calls replica B (a child process) with a fresh token for the path unless one is given. */
  const callB = async (method: "GET" | "POST", path: string, body?: unknown, token?: string) => {
    const auth = token ?? (await ehr.sign(PUBLIC_BASE_URL + path));
    const res = await fetch(b.url + path, {
      method,
      headers: { authorization: `Bearer ${auth}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };
  const summaryOf = async (url: string) =>
    (await fetch(`${url}/operator/feedback-summary`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).json();

  beforeAll(async () => {
    db = await startTestPostgres();
    ehr = await createTestEhr();
    jwks = await serveJwks(ehr);
    const stateA = await openServiceState(parseConfig({ publicBaseUrl: PUBLIC_BASE_URL, databaseUrl: db.url }), silent);
    a = await startTestService({ ehr, state: stateA, config: { databaseUrl: db.url } });
    b = await startMainWithEhr(ehr, jwks, serviceDir(), {
      workers: 1,
      databaseUrl: db.url,
      cards: { minTier: "low", indexDate: INDEX_DATE },
      feedback: { operatorToken: OPERATOR_TOKEN },
    });
  }, 180_000);

  afterAll(async () => {
    b?.main.kill();
    await b?.main.done;
    await a?.close();
    jwks?.close();
    await db?.destroy();
  }, 60_000);

  it("refuses a token replayed from one replica at the other", async () => {
    const first = await ehr.sign(`${PUBLIC_BASE_URL}/cds-services`);
    expect((await a.call("GET", "/cds-services", { token: first })).status).toBe(200);
    expect((await callB("GET", "/cds-services", undefined, first)).status).toBe(401);
    const second = await ehr.sign(`${PUBLIC_BASE_URL}/cds-services`);
    expect((await callB("GET", "/cds-services", undefined, second)).status).toBe(200);
    expect((await a.call("GET", "/cds-services", { token: second })).status).toBe(401);
  });

  it("takes feedback for a card at either replica and shows both in one summary", async () => {
    const before = await summaryOf(a.url);
    const cardA = (await a.call("POST", HOOK_PATH, { body: hookBody() })).body.cards[0];
    const cardB = (await callB("POST", HOOK_PATH, hookBody())).body.cards[0];
    const at = new Date().toISOString();
    const overridden = { card: cardA.uuid, outcome: "overridden", overrideReason: { reason: { system: OVERRIDE_REASON_SYSTEM, code: "data-incomplete" } }, outcomeTimestamp: at };
    const accepted = { card: cardB.uuid, outcome: "accepted", acceptedSuggestions: [{ id: cardB.suggestions[0].uuid }], outcomeTimestamp: at };
    expect((await callB("POST", FEEDBACK_PATH, { feedback: [overridden] })).status).toBe(200);
    expect((await a.call("POST", FEEDBACK_PATH, { body: { feedback: [accepted] } })).status).toBe(200);
    // The same feedback again at the other replica is a repeat, not a second row.
    expect((await a.call("POST", FEEDBACK_PATH, { body: { feedback: [overridden] } })).status).toBe(200);

    const after = await summaryOf(a.url);
    expect(await summaryOf(b.url)).toEqual(after);
    expect(after.cardsIssued - before.cardsIssued).toBe(2);
    expect(after.accepted - before.accepted).toBe(1);
    expect(after.overridden - before.overridden).toBe(1);
    expect(after.overrideReasons).toContainEqual({ system: OVERRIDE_REASON_SYSTEM, code: "data-incomplete", display: "Record is incomplete or wrong for this patient", count: 1 });
  });

  it("fails closed while the database is down and recovers by itself when it returns", async () => {
    await db.stop();
    try {
      const hookA = await a.call("POST", HOOK_PATH, { body: hookBody() });
      expect(hookA.status).toBe(503);
      expect(hookA.body.issue[0].code).toBe("transient");
      expect(hookA.headers.get("retry-after")).toBe("5");
      // Discovery records nothing: only the replay check needs the database, and it must not be skipped.
      expect((await a.call("GET", "/cds-services")).status).toBe(503);
      expect((await callB("GET", "/cds-services")).status).toBe(503);
      const hookB = await callB("POST", HOOK_PATH, hookBody());
      expect(hookB.status).toBe(503);
      expect(hookB.body.resourceType).toBe("OperationOutcome");
      expect((await fetch(`${a.url}/operator/feedback-summary`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).status).toBe(503);
    } finally {
      await db.start();
    }
    const hookA = await a.call("POST", HOOK_PATH, { body: hookBody() });
    expect(hookA.status).toBe(200);
    expect(hookA.body.cards).toHaveLength(1);
    const hookB = await callB("POST", HOOK_PATH, hookBody());
    expect(hookB.status).toBe(200);
    expect(hookB.body.cards).toHaveLength(1);
  });

  it("keeps the replay window of the in-memory and SQLite caches", async () => {
    const pool = createPostgresPool(db.url, silent);
    try {
      await expectReplayWindow((span, now) => openPostgresReplayCache(pool, span, now));
    } finally {
      await pool.end();
    }
  });

  it("applies each migration once when replicas start together", async () => {
    const admin = new pg.Client(db.url);
    await admin.connect();
    try {
      await admin.query("CREATE DATABASE race");
      const url = db.url.replace(/\/postgres$/, "/race");
      const config = parseConfig({ publicBaseUrl: PUBLIC_BASE_URL, databaseUrl: url });
      const states = await Promise.all([1, 2, 3, 4].map(() => openServiceState(config, silent)));
      await Promise.all(states.map((s) => s.close()));
      const race = new pg.Client(url);
      await race.connect();
      const rows = (await race.query("SELECT component, version FROM schema_migrations ORDER BY component")).rows;
      await race.end();
      expect(rows).toEqual([
        { component: "feedback", version: 1 },
        { component: "replay", version: 1 },
      ]);
    } finally {
      await admin.end();
    }
  });
});
