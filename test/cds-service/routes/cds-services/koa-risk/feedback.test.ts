/**
 * Feedback over HTTP: accepted only for cards this service issued to the calling EHR, naming
 * suggestions and override reasons from that card; anything else is a 4xx OperationOutcome.
 * Repeats are idempotent, only codes are stored, and the operator summary's totals are the
 * sums of its rows.
 */
import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OVERRIDE_REASON_SYSTEM } from "../../../../../cds-service/cards/override-reasons.ts";
import { hookBody } from "../../../support/hook-requests.ts";
import { createTestEhr, type TestEhr } from "../../../support/test-ehr.ts";
import { HOOK_PATH, jwksHandler, OPERATOR_TOKEN, startTestService, type TestService } from "../../../support/test-service.ts";

const FEEDBACK_PATH = `${HOOK_PATH}/feedback`;
const at = "2024-06-01T10:00:00Z";

interface IssuedForTest {
  uuid: string;
  suggestionIds: string[];
}

describe("feedback", () => {
  let svc: TestService;
  let otherEhr: TestEhr;
  const dbPath = join(mkdtempSync(join(tmpdir(), "patella-feedback-")), "nested", "feedback.sqlite");

  beforeAll(async () => {
    const ehr = await createTestEhr();
    otherEhr = await createTestEhr("https://other-ehr.test.example");
    svc = await startTestService({
      ehr,
      handlers: [jwksHandler(otherEhr)],
      config: {
        issuers: [
          { iss: ehr.iss, jwksUrl: ehr.jwksUrl },
          { iss: otherEhr.iss, jwksUrl: otherEhr.jwksUrl },
        ],
        feedback: { dbPath, operatorToken: OPERATOR_TOKEN },
      },
    });
  });
  afterAll(() => svc.close());

  /** A fresh card from the hook, issued to the default test EHR. */
  const newCard = async (): Promise<IssuedForTest> => {
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody() });
    const card = res.body.cards[0];
    return { uuid: card.uuid, suggestionIds: (card.suggestions ?? []).map((s: { uuid: string }) => s.uuid) };
  };
  const send = (feedback: unknown[], token?: string) => svc.call("POST", FEEDBACK_PATH, { body: { feedback }, ...(token ? { token } : {}) });
  const summary = async (token: string | null = OPERATOR_TOKEN) =>
    fetch(`${svc.url}/operator/feedback-summary`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const summaryBody = async () => (await summary()).json();
  const reason = (code: string, extra: Record<string, string> = {}) => ({ reason: { system: OVERRIDE_REASON_SYSTEM, code, ...extra } });

  it("stores accepted and overridden cards; the summary's totals are the sums of its rows", async () => {
    const before = await summaryBody();
    const [a, b, c, d] = [await newCard(), await newCard(), await newCard(), await newCard()];
    expect(a.suggestionIds.length).toBeGreaterThan(0);
    const res = await send([
      { card: a.uuid, outcome: "accepted", acceptedSuggestions: [{ id: a.suggestionIds[0] }], outcomeTimestamp: at },
      { card: b.uuid, outcome: "overridden", overrideReason: { ...reason("not-relevant-today", { display: "Mrs Quillonia Zebedee, born 1960-03-14" }), userComment: "Mrs Quillonia Zebedee prefers next visit" }, outcomeTimestamp: at },
      { card: c.uuid, outcome: "overridden", overrideReason: reason("not-relevant-today"), outcomeTimestamp: at },
      { card: d.uuid, outcome: "overridden", outcomeTimestamp: at },
    ]);
    expect(res.status).toBe(200);

    const body = await summaryBody();
    // Worked out by hand: 4 new cards, 1 accepted, 3 overridden (2 with one reason, 1 without).
    expect(body.cardsIssued - before.cardsIssued).toBe(4);
    expect(body.accepted - before.accepted).toBe(1);
    expect(body.overridden - before.overridden).toBe(3);
    const byCode = new Map(body.overrideReasons.map((r: { code: string | null; count: number }) => [r.code, r]));
    expect(byCode.get("not-relevant-today")).toEqual({ system: OVERRIDE_REASON_SYSTEM, code: "not-relevant-today", display: "Not relevant to this visit", count: 2 });
    expect(byCode.get(null)).toMatchObject({ count: 1, display: null });

    const tiers = body.byTier as { cards: number; accepted: number; overridden: number }[];
    const sum = (f: (t: (typeof tiers)[number]) => number) => tiers.reduce((n, t) => n + f(t), 0);
    expect(body.cardsIssued).toBe(sum((t) => t.cards));
    expect(body.accepted).toBe(sum((t) => t.accepted));
    expect(body.overridden).toBe(sum((t) => t.overridden));
    expect(body.feedbackItems).toBe(body.accepted + body.overridden);
    expect(body.overridden).toBe(body.overrideReasons.reduce((n: number, r: { count: number }) => n + r.count, 0));
    expect(body.acceptRate).toBeCloseTo(body.accepted / body.feedbackItems, 9);
  });

  it("keeps codes only: no comment, no reason display, no patient data in the database file", () => {
    const db = new Database(dbPath, { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      const dump = JSON.stringify(tables.map(({ name }) => db.prepare(`SELECT * FROM "${name}"`).all()));
      expect(dump).toContain("not-relevant-today");
      for (const secret of ["Zebedee", "Quillonia", "1960-03-14", "p1", "Practitioner/pr1", "Not relevant"]) expect(dump).not.toContain(secret);
    } finally {
      db.close();
    }
  });

  it("404 for a card never issued and for a card issued to another EHR, storing nothing", async () => {
    const mine = await newCard();
    const before = await summaryBody();
    const never = await send([{ card: crypto.randomUUID(), outcome: "overridden", outcomeTimestamp: at }]);
    expect(never.status).toBe(404);
    expect(never.body.issue[0].diagnostics).toMatch(/^feedback\[0\]\.card: no card/);
    const otherToken = await otherEhr.sign(svc.audience(FEEDBACK_PATH));
    const foreign = await send([{ card: mine.uuid, outcome: "overridden", outcomeTimestamp: at }], otherToken);
    expect(foreign.status).toBe(404);
    expect(await summaryBody()).toEqual(before);
  });

  it("400 for suggestions or reasons the card did not offer, and for outcomes in the wrong shape", async () => {
    const card = await newCard();
    const before = await summaryBody();
    const cases: [unknown, RegExp][] = [
      [{ card: card.uuid, outcome: "accepted", acceptedSuggestions: [{ id: "s1" }], outcomeTimestamp: at }, /acceptedSuggestions\[0\]\.id: not a suggestion/],
      [{ card: card.uuid, outcome: "accepted", outcomeTimestamp: at }, /acceptedSuggestions: required/],
      [{ card: card.uuid, outcome: "accepted", acceptedSuggestions: [{ id: card.suggestionIds[0] }, { id: card.suggestionIds[0] }], outcomeTimestamp: at }, /listed twice/],
      [{ card: card.uuid, outcome: "accepted", acceptedSuggestions: [{ id: card.suggestionIds[0] }], overrideReason: reason("not-relevant-today"), outcomeTimestamp: at }, /overrideReason: only for/],
      [{ card: card.uuid, outcome: "overridden", overrideReason: reason("never-offered"), outcomeTimestamp: at }, /overrideReason\.reason: not an override reason/],
      [{ card: card.uuid, outcome: "overridden", overrideReason: { reason: { code: "not-relevant-today" } }, outcomeTimestamp: at }, /overrideReason\.reason: not an override reason/],
      [{ card: card.uuid, outcome: "overridden", acceptedSuggestions: [{ id: card.suggestionIds[0] }], outcomeTimestamp: at }, /acceptedSuggestions: only for/],
    ];
    for (const [item, message] of cases) {
      const res = await send([item]);
      expect(res.status).toBe(400);
      expect(res.body.resourceType).toBe("OperationOutcome");
      expect(res.body.issue[0].diagnostics).toMatch(message);
    }
    expect(await summaryBody()).toEqual(before);
  });

  it("a repeated call stores nothing new; a different decision for the same card is 409 and changes nothing", async () => {
    const [a, b] = [await newCard(), await newCard()];
    const items = [
      { card: a.uuid, outcome: "accepted", acceptedSuggestions: [{ id: a.suggestionIds[0] }], outcomeTimestamp: at },
      { card: b.uuid, outcome: "overridden", overrideReason: reason("disagree-estimate"), outcomeTimestamp: at },
    ];
    expect((await send(items)).status).toBe(200);
    const once = await summaryBody();
    expect((await send(items)).status).toBe(200);
    expect((await send([items[1], items[1]])).status).toBe(200);
    expect(await summaryBody()).toEqual(once);

    const c = await newCard();
    const afterCard = await summaryBody();
    const changed = await send([
      { card: c.uuid, outcome: "overridden", outcomeTimestamp: at },
      { card: b.uuid, outcome: "overridden", overrideReason: reason("already-assessed"), outcomeTimestamp: at },
    ]);
    expect(changed.status).toBe(409);
    expect(changed.body.issue[0].code).toBe("conflict");
    // All or nothing: card c's valid item was not stored either.
    expect(await summaryBody()).toEqual(afterCard);
  });

  it("refuses the summary without the operator token, or with an EHR JWT", async () => {
    expect((await summary(null)).status).toBe(401);
    expect((await summary("wrong-token-wrong-token-wrong")).status).toBe(401);
    expect((await summary(await svc.ehr.sign(svc.audience("/operator/feedback-summary")))).status).toBe(401);
  });

  it("400 for malformed feedback, naming the field", async () => {
    const card = await newCard();
    const bad = [
      { feedback: [] },
      { feedback: [{ card: card.uuid, outcome: "ignored", outcomeTimestamp: at }] },
      { feedback: [{ card: card.uuid, outcome: "accepted", outcomeTimestamp: "yesterday" }] },
      { feedback: [{ outcome: "accepted", outcomeTimestamp: at }] },
      {},
    ];
    for (const body of bad) {
      const res = await svc.call("POST", FEEDBACK_PATH, { body });
      expect(res.status).toBe(400);
      expect(res.body.issue[0].diagnostics).toMatch(/^Invalid feedback: feedback/);
    }
  });
});
