/**
 * Two replicas sharing one PostgreSQL server that this test starts and stops itself: one
 * in-process instance and one `npm run serve` process with PATELLA_DATABASE_URL, on different
 * ports. A token used at one is refused at the other, feedback given at either is in one
 * summary, suggestions of one card accepted at both (one after the other, or at once) are all
 * kept, and while the database is down both fail closed (503, never a card without the replay
 * check) and recover by themselves when it returns. The PostgreSQL feedback store also passes
 * the merging contract the SQLite one does (feedback/feedback-store-contract.ts).
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../cds-service/config.ts";
import { OVERRIDE_REASON_SYSTEM } from "../../../cds-service/cards/override-reasons.ts";
import { openPostgresReplayCache } from "../../../cds-service/security/postgres-replay-cache.ts";
import { createPostgresPool } from "../../../cds-service/storage/postgres-pool.ts";
import { openServiceState } from "../../../cds-service/storage/open-service-state.ts";
import { startTestPostgres, type TestPostgres } from "../../support/postgres-server.ts";
import { highRiskService, suggestionsOfAnyCard } from "../feedback/any-card-risk.ts";
import { accepted, feedbackMergingTests, PHYSIO, WEIGHT } from "../feedback/feedback-store-contract.ts";
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
    // Replica A puts every patient at high risk, so its cards offer two suggestions ("any");
    // replica B runs the committed model.
    a = await startTestService({ ehr, state: stateA, risk: await highRiskService(), config: { databaseUrl: db.url } });
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

  it("keeps both suggestions of a card accepted one at each replica, one after the other or at once", async () => {
    const before = await summaryOf(a.url);
    const at = new Date().toISOString();
    const accept = (card: string, id: string) => ({ feedback: [{ card, outcome: "accepted", acceptedSuggestions: [{ id }], outcomeTimestamp: at }] });
    const issue = async () => {
      const card = (await a.call("POST", HOOK_PATH, { body: hookBody() })).body.cards[0];
      return { uuid: card.uuid as string, ...suggestionsOfAnyCard(card) };
    };

    const card = await issue();
    expect((await callB("POST", FEEDBACK_PATH, accept(card.uuid, card.weight))).status).toBe(200);
    expect((await a.call("POST", FEEDBACK_PATH, { body: accept(card.uuid, card.physio) })).status).toBe(200);
    // Sorted: physiotherapy's uuid ends ...001, weight management's ...002.
    expect(await a.feedback.feedbackFor(card.uuid)).toMatchObject({ outcome: "accepted", acceptedSuggestionIds: [card.physio, card.weight] });

    const together = [await issue(), await issue(), await issue(), await issue(), await issue(), await issue()];
    const statuses = await Promise.all(
      together.flatMap((c) => [
        callB("POST", FEEDBACK_PATH, accept(c.uuid, c.physio)).then((r) => r.status),
        a.call("POST", FEEDBACK_PATH, { body: accept(c.uuid, c.weight) }).then((r) => r.status),
      ]),
    );
    expect(statuses).toEqual(Array(12).fill(200));
    for (const c of together) expect((await a.feedback.feedbackFor(c.uuid))?.acceptedSuggestionIds).toEqual([c.physio, c.weight]);

    // By hand: 7 cards, each accepted (twice, one decision each), none overridden.
    const after = await summaryOf(a.url);
    expect(await summaryOf(b.url)).toEqual(after);
    expect(after.cardsIssued - before.cardsIssued).toBe(7);
    expect(after.accepted - before.accepted).toBe(7);
    expect(after.overridden - before.overridden).toBe(0);
    expect(after.feedbackItems - before.feedbackItems).toBe(7);
  });

  it("409 at either replica for accepted against overridden, storing nothing of the call", async () => {
    const at = new Date().toISOString();
    const [acc, ovr, fresh] = [
      (await a.call("POST", HOOK_PATH, { body: hookBody() })).body.cards[0],
      (await a.call("POST", HOOK_PATH, { body: hookBody() })).body.cards[0],
      (await a.call("POST", HOOK_PATH, { body: hookBody() })).body.cards[0],
    ];
    const acceptItem = (card: { uuid: string; suggestions: { uuid: string }[] }) => ({ card: card.uuid, outcome: "accepted", acceptedSuggestions: [{ id: card.suggestions[0]!.uuid }], outcomeTimestamp: at });
    const overrideItem = (card: { uuid: string }) => ({ card: card.uuid, outcome: "overridden", outcomeTimestamp: at });
    expect((await a.call("POST", FEEDBACK_PATH, { body: { feedback: [acceptItem(acc), overrideItem(ovr)] } })).status).toBe(200);
    const before = await summaryOf(a.url);
    const overriding = await callB("POST", FEEDBACK_PATH, { feedback: [overrideItem(fresh), overrideItem(acc)] });
    expect(overriding.status).toBe(409);
    expect(overriding.body.issue[0].code).toBe("conflict");
    expect((await callB("POST", FEEDBACK_PATH, { feedback: [acceptItem(fresh), acceptItem(ovr)] })).status).toBe(409);
    expect(await summaryOf(a.url)).toEqual(before);
    expect(await a.feedback.feedbackFor(fresh.uuid)).toBeUndefined();
    expect(await a.feedback.feedbackFor(acc.uuid)).toMatchObject({ outcome: "accepted" });
    expect(await a.feedback.feedbackFor(ovr.uuid)).toMatchObject({ outcome: "overridden" });
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

  describe("PostgreSQL feedback store", () => {
    /** A third suggestion id, for a card whose row another replica is widening. */
    const EXTRA = "suggestion-3-extra";
    let raw: pg.Pool;
    beforeAll(() => {
      raw = createPostgresPool(db.url, silent);
    });
    afterAll(() => raw?.end());

    feedbackMergingTests(() => ({
      store: a.feedback,
      acceptedSuggestionsColumn: async (cardUuid) =>
        (await raw.query<{ n: number }>("SELECT accepted_suggestions AS n FROM card_feedback WHERE card_uuid = $1", [cardUuid])).rows[0]!.n,
    }));

    /** Resolves once some transaction waits for a lock (the store's call, behind `holder`). */
    const someoneWaits = async (holder: pg.PoolClient) => {
      for (let i = 0; i < 300; i++) {
        if ((await holder.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted")).rows[0]!.n > 0) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error("no transaction waited for a lock");
    };
    const issueCard = async (suggestionIds: string[]) => {
      const cardUuid = randomUUID();
      await a.feedback.recordIssued({
        cardUuid,
        serviceId: "koa-risk",
        hookInstance: randomUUID(),
        tier: "high",
        issuer: "https://ehr.contract.example",
        issuedAt: "2024-06-01T09:00:00.000Z",
        suggestionIds,
        overrideReasons: [],
      });
      return cardUuid;
    };

    it("a card's first feedback given at two replicas at once: the second waits for the first and adds to it", async () => {
      const card = await issueCard([PHYSIO, WEIGHT]);
      const holder = await raw.connect();
      try {
        // Another replica accepting WEIGHT, its row written and not yet committed.
        await holder.query("BEGIN");
        await holder.query(
          `INSERT INTO card_feedback VALUES ($1, 'koa-risk', 'https://ehr.contract.example', 'accepted', 1, NULL, NULL, $2, '2024-06-01T09:59:00Z', '2024-06-01T09:59:00.500Z')`,
          [card, `["accepted",["${WEIGHT}"],null]`],
        );
        const pending = a.feedback.recordFeedback([accepted(card, [PHYSIO], 1)]);
        await someoneWaits(holder);
        await holder.query("COMMIT");
        expect(await pending).toEqual({ stored: 1, repeated: 0 });
      } finally {
        holder.release();
      }
      expect(await a.feedback.feedbackFor(card)).toMatchObject({ acceptedSuggestionIds: [PHYSIO, WEIGHT], outcomeTimestamp: "2024-06-01T09:59:00Z" });
    });

    it("a row another replica is widening is locked before it is read: neither replica's suggestion is lost", async () => {
      const card = await issueCard([PHYSIO, WEIGHT, EXTRA]);
      await a.feedback.recordFeedback([accepted(card, [PHYSIO], 1)]);
      const holder = await raw.connect();
      try {
        // Another replica adding WEIGHT has locked the row, and writes the union while this call
        // waits. Had this call read the row without the lock, it would have read PHYSIO alone and
        // written PHYSIO and EXTRA over that union once the lock was released.
        await holder.query("BEGIN");
        await holder.query("SELECT decision FROM card_feedback WHERE card_uuid = $1 FOR UPDATE", [card]);
        const pending = a.feedback.recordFeedback([accepted(card, [EXTRA], 2)]);
        await someoneWaits(holder);
        await holder.query("UPDATE card_feedback SET accepted_suggestions = 2, decision = $2 WHERE card_uuid = $1", [card, `["accepted",["${PHYSIO}","${WEIGHT}"],null]`]);
        await holder.query("COMMIT");
        expect(await pending).toEqual({ stored: 1, repeated: 0 });
      } finally {
        holder.release();
      }
      expect(await a.feedback.feedbackFor(card)).toMatchObject({ acceptedSuggestionIds: [PHYSIO, WEIGHT, EXTRA], outcomeTimestamp: "2024-06-01T10:01:00Z" });
      expect((await raw.query<{ n: number }>("SELECT accepted_suggestions AS n FROM card_feedback WHERE card_uuid = $1", [card])).rows[0]!.n).toBe(3);
    });
  });
});
