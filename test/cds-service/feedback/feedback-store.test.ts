/**
 * Feedback over HTTP: items stored against the card (and so the hook call) that produced
 * them, and summarized for the operator behind the operator token.
 */
import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OVERRIDE_REASON_SYSTEM } from "../../../cds-service/cards/override-reasons.ts";
import { hookBody } from "../support/hook-requests.ts";
import { HOOK_PATH, OPERATOR_TOKEN, startTestService, type TestService } from "../support/test-service.ts";

const FEEDBACK_PATH = `${HOOK_PATH}/feedback`;

describe("feedback", () => {
  let svc: TestService;
  const cards: string[] = [];
  const dbPath = join(mkdtempSync(join(tmpdir(), "patella-feedback-")), "nested", "feedback.sqlite");
  beforeAll(async () => {
    svc = await startTestService({ config: { feedback: { dbPath, operatorToken: OPERATOR_TOKEN } } });
    for (let i = 0; i < 3; i++) {
      const res = await svc.call("POST", HOOK_PATH, { body: hookBody() });
      cards.push(res.body.cards[0].uuid);
    }
  });
  afterAll(() => svc.close());

  const summary = async (token: string | null = OPERATOR_TOKEN) =>
    fetch(`${svc.url}/operator/feedback-summary`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("stores accepted and overridden cards and summarizes rates per reason and tier", async () => {
    const now = new Date().toISOString();
    const res = await svc.call("POST", FEEDBACK_PATH, {
      body: {
        feedback: [
          { card: cards[0], outcome: "accepted", acceptedSuggestions: [{ id: "s1" }], outcomeTimestamp: now },
          {
            card: cards[1],
            outcome: "overridden",
            overrideReason: { reason: { system: OVERRIDE_REASON_SYSTEM, code: "not-relevant-today", display: "Not relevant to this visit" }, userComment: "Mrs Quillonia Zebedee prefers to discuss next visit" },
            outcomeTimestamp: now,
          },
          { card: cards[2], outcome: "overridden", overrideReason: { reason: { system: OVERRIDE_REASON_SYSTEM, code: "not-relevant-today" } }, outcomeTimestamp: now },
        ],
      },
    });
    expect(res.status).toBe(200);

    const sum = await summary();
    expect(sum.status).toBe(200);
    const body = await sum.json();
    expect(body).toMatchObject({ cardsIssued: 3, feedbackItems: 3, accepted: 1, overridden: 2 });
    expect(body.acceptRate).toBeCloseTo(1 / 3, 6);
    expect(body.overrideReasons).toEqual([
      { system: OVERRIDE_REASON_SYSTEM, code: "not-relevant-today", display: "Not relevant to this visit", count: 2 },
    ]);
    const tiers = body.byTier as { tier: string; cards: number; accepted: number; overridden: number }[];
    expect(tiers.reduce((n, t) => n + t.cards, 0)).toBe(3);
    expect(tiers.reduce((n, t) => n + t.accepted + t.overridden, 0)).toBe(3);
  });

  it("keeps no free-text comments and no patient data in the database file", () => {
    const db = new Database(dbPath, { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      const dump = JSON.stringify(tables.map(({ name }) => db.prepare(`SELECT * FROM "${name}"`).all()));
      expect(dump).toContain(cards[1]);
      for (const secret of ["Zebedee", "p1", "1960-03-14", "Practitioner/pr1"]) expect(dump).not.toContain(secret);
    } finally {
      db.close();
    }
  });

  it("refuses the summary without the operator token, or with an EHR JWT", async () => {
    expect((await summary(null)).status).toBe(401);
    expect((await summary("wrong-token-wrong-token-wrong")).status).toBe(401);
    expect((await summary(await svc.ehr.sign(svc.audience("/operator/feedback-summary")))).status).toBe(401);
  });

  it("400 for malformed feedback, naming the field", async () => {
    const bad = [
      { feedback: [] },
      { feedback: [{ card: cards[0], outcome: "ignored", outcomeTimestamp: new Date().toISOString() }] },
      { feedback: [{ card: cards[0], outcome: "accepted", outcomeTimestamp: "yesterday" }] },
      { feedback: [{ outcome: "accepted", outcomeTimestamp: new Date().toISOString() }] },
      {},
    ];
    for (const body of bad) {
      const res = await svc.call("POST", FEEDBACK_PATH, { body });
      expect(res.status).toBe(400);
      expect(res.body.issue[0].diagnostics).toMatch(/^Invalid feedback: feedback/);
    }
  });
});
