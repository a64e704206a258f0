/**
 * Feedback over HTTP: accepted only for cards this service issued to the calling EHR, naming
 * suggestions and override reasons from that card; anything else is a 4xx OperationOutcome.
 * Repeats are idempotent, a later acceptance of another suggestion of the card adds to the
 * accepted ones, only codes are stored, and the operator summary's totals are the sums of its rows.
 */
import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OVERRIDE_REASON_SYSTEM } from "../../../../../cds-service/cards/override-reasons.ts";
import { highRiskService, suggestionsOfAnyCard } from "../../../feedback/any-card-risk.ts";
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

describe("feedback on a card with two suggestions (selectionBehavior \"any\")", () => {
  let svc: TestService;

  beforeAll(async () => {
    // Every card offers physiotherapy and weight management (any-card-risk.ts).
    svc = await startTestService({ risk: await highRiskService() });
  });
  afterAll(() => svc.close());

  const send = (feedback: unknown[]) => svc.call("POST", FEEDBACK_PATH, { body: { feedback } });
  const summaryBody = async () => (await fetch(`${svc.url}/operator/feedback-summary`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })).json();
  const reason = (code: string) => ({ reason: { system: OVERRIDE_REASON_SYSTEM, code } });
  /** A fresh card with both suggestions: physiotherapy (uuid ending ...001) and weight management (...002). */
  const anyCard = async () => {
    const card = (await svc.call("POST", HOOK_PATH, { body: hookBody() })).body.cards[0];
    const { physio, weight } = suggestionsOfAnyCard(card);
    expect(physio).toMatch(/000000000001$/);
    expect(weight).toMatch(/000000000002$/);
    return { uuid: card.uuid as string, physio, weight };
  };
  const accept = (card: string, ...ids: string[]) => ({ card, outcome: "accepted", acceptedSuggestions: ids.map((id) => ({ id })), outcomeTimestamp: at });

  it("accepting one suggestion of an 'any' card, then the other, keeps both: one decision in the summary", async () => {
    const card = await anyCard();
    const before = await summaryBody();
    expect((await send([accept(card.uuid, card.weight)])).status).toBe(200);
    expect((await send([{ ...accept(card.uuid, card.physio), outcomeTimestamp: "2024-06-01T10:05:00Z" }])).status).toBe(200);
    // Sorted: ...001 before ...002. The first acceptance's time is kept.
    expect(await svc.feedback.feedbackFor(card.uuid)).toMatchObject({ outcome: "accepted", acceptedSuggestionIds: [card.physio, card.weight], outcomeTimestamp: at });
    const after = await summaryBody();
    expect(after.cardsIssued - before.cardsIssued).toBe(0);
    expect(after.accepted - before.accepted).toBe(1);
    expect(after.feedbackItems - before.feedbackItems).toBe(1);
    expect(after.overridden - before.overridden).toBe(0);

    // Either suggestion again, or both, is a repeat.
    for (const ids of [[card.physio], [card.weight], [card.weight, card.physio]]) expect((await send([accept(card.uuid, ...ids)])).status).toBe(200);
    expect(await summaryBody()).toEqual(after);
    expect(await svc.feedback.feedbackFor(card.uuid)).toMatchObject({ acceptedSuggestionIds: [card.physio, card.weight] });

    const both = await anyCard();
    expect((await send([accept(both.uuid, both.physio, both.weight)])).status).toBe(200);
    expect((await send([accept(both.uuid, both.physio)])).status).toBe(200);
    expect(await svc.feedback.feedbackFor(both.uuid)).toMatchObject({ acceptedSuggestionIds: [both.physio, both.weight] });
  });

  it("two acceptances of one card in one call keep both", async () => {
    const card = await anyCard();
    expect((await send([accept(card.uuid, card.physio), accept(card.uuid, card.weight)])).status).toBe(200);
    expect(await svc.feedback.feedbackFor(card.uuid)).toMatchObject({ acceptedSuggestionIds: [card.physio, card.weight] });
  });

  it("409 for accepted against overridden, either order, storing nothing of the call", async () => {
    const [acc, ovr, fresh] = [await anyCard(), await anyCard(), await anyCard()];
    expect((await send([accept(acc.uuid, acc.weight), { card: ovr.uuid, outcome: "overridden", overrideReason: reason("disagree-estimate"), outcomeTimestamp: at }])).status).toBe(200);
    const before = await summaryBody();

    const overridingAccepted = await send([{ card: fresh.uuid, outcome: "overridden", outcomeTimestamp: at }, { card: acc.uuid, outcome: "overridden", outcomeTimestamp: at }]);
    expect(overridingAccepted.status).toBe(409);
    expect(overridingAccepted.body.issue[0].code).toBe("conflict");
    expect(overridingAccepted.body.issue[0].diagnostics).toContain(acc.uuid);
    const acceptingOverridden = await send([accept(fresh.uuid, fresh.physio), accept(ovr.uuid, ovr.physio)]);
    expect(acceptingOverridden.status).toBe(409);
    expect(acceptingOverridden.body.issue[0].diagnostics).toContain(ovr.uuid);
    // A call that would widen one card and contradicts another: the widening is not stored either.
    expect((await send([accept(acc.uuid, acc.physio), { card: ovr.uuid, outcome: "overridden", overrideReason: reason("already-assessed"), outcomeTimestamp: at }])).status).toBe(409);
    // Accepted and overridden for one card in one call.
    expect((await send([accept(fresh.uuid, fresh.physio), { card: fresh.uuid, outcome: "overridden", outcomeTimestamp: at }])).status).toBe(409);

    expect(await summaryBody()).toEqual(before);
    expect(await svc.feedback.feedbackFor(fresh.uuid)).toBeUndefined();
    expect(await svc.feedback.feedbackFor(acc.uuid)).toMatchObject({ outcome: "accepted", acceptedSuggestionIds: [acc.weight] });
    expect(await svc.feedback.feedbackFor(ovr.uuid)).toMatchObject({ outcome: "overridden", acceptedSuggestionIds: [], reason: { system: OVERRIDE_REASON_SYSTEM, code: "disagree-estimate" } });
  });
});
