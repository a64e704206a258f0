/**
 * How every feedback store merges feedback into a card's one row, whatever its database
 * (sqlite-feedback-store.test.ts, and PostgreSQL in storage/postgres-replicas.test.ts): a later
 * `accepted` adds its suggestions to the card's accepted ones, a repeat changes nothing, and
 * feedback contradicting the card's decision throws FeedbackConflict and stores nothing of its
 * call. Expected values are written out by hand.
 */
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { FeedbackConflict, type FeedbackRecord, type FeedbackStore } from "../../../cds-service/feedback/feedback-store.ts";
import { summarize } from "../../../cds-service/feedback/summarize.ts";

export interface StoreUnderTest {
  store: FeedbackStore;
  /** The card's `accepted_suggestions` column, read from the database without the store. */
  acceptedSuggestionsColumn(cardUuid: string): Promise<number>;
}

const ISSUER = "https://ehr.contract.example";
const SERVICE = "koa-risk";
/** The two suggestions of an "any" card, named so that PHYSIO sorts before WEIGHT. */
export const PHYSIO = "suggestion-1-physio";
export const WEIGHT = "suggestion-2-weight";
const REASON_SYSTEM = "urn:patella:codesystem:cds-override-reason";

/** Feedback item `n` of a test: outcome at 10:0n, received 5 s later. */
const times = (n: number) => ({ outcomeTimestamp: `2024-06-01T10:0${n}:00Z`, receivedAt: `2024-06-01T10:0${n}:05.000Z` });

export const accepted = (cardUuid: string, ids: string[], n = 1): FeedbackRecord => ({
  cardUuid,
  serviceId: SERVICE,
  issuer: ISSUER,
  outcome: "accepted",
  acceptedSuggestionIds: ids,
  reason: null,
  ...times(n),
});

export const overridden = (cardUuid: string, code: string | null, n = 1): FeedbackRecord => ({
  cardUuid,
  serviceId: SERVICE,
  issuer: ISSUER,
  outcome: "overridden",
  acceptedSuggestionIds: [],
  reason: code ? { system: REASON_SYSTEM, code } : null,
  ...times(n),
});

/** Registers the contract's tests; `get` is called inside each test, once the store is open. */
export function feedbackMergingTests(get: () => StoreUnderTest): void {
  const newCard = async (): Promise<string> => {
    const cardUuid = randomUUID();
    await get().store.recordIssued({
      cardUuid,
      serviceId: SERVICE,
      hookInstance: randomUUID(),
      tier: "high",
      issuer: ISSUER,
      issuedAt: "2024-06-01T09:00:00.000Z",
      suggestionIds: [PHYSIO, WEIGHT],
      overrideReasons: [
        { system: REASON_SYSTEM, code: "not-relevant-today" },
        { system: REASON_SYSTEM, code: "disagree-estimate" },
      ],
    });
    return cardUuid;
  };
  const record = (records: FeedbackRecord[]) => get().store.recordFeedback(records);
  const stored = (cardUuid: string) => get().store.feedbackFor(cardUuid);
  /** Expects FeedbackConflict naming exactly `cardUuids`. */
  const expectConflict = async (records: FeedbackRecord[], cardUuids: string[]) => {
    const err = await record(records).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FeedbackConflict);
    expect((err as FeedbackConflict).cardUuids).toEqual(cardUuids);
  };

  it("accepted with one suggestion, then with the other: one row with both, the first feedback's times kept", async () => {
    const card = await newCard();
    expect(await record([accepted(card, [WEIGHT], 1)])).toEqual({ stored: 1, repeated: 0 });
    expect(await record([accepted(card, [PHYSIO], 2)])).toEqual({ stored: 1, repeated: 0 });
    expect(await stored(card)).toEqual({
      cardUuid: card,
      serviceId: SERVICE,
      issuer: ISSUER,
      outcome: "accepted",
      acceptedSuggestionIds: [PHYSIO, WEIGHT],
      reason: null,
      outcomeTimestamp: "2024-06-01T10:01:00Z",
      receivedAt: "2024-06-01T10:01:05.000Z",
    });
    expect(await get().acceptedSuggestionsColumn(card)).toBe(2);
  });

  it("the same suggestion again, or one already in the union, is a repeat that changes nothing", async () => {
    const once = await newCard();
    await record([accepted(once, [PHYSIO], 1)]);
    expect(await record([accepted(once, [PHYSIO], 2)])).toEqual({ stored: 0, repeated: 1 });
    expect(await stored(once)).toMatchObject({ acceptedSuggestionIds: [PHYSIO], outcomeTimestamp: "2024-06-01T10:01:00Z" });
    expect(await get().acceptedSuggestionsColumn(once)).toBe(1);

    const both = await newCard();
    await record([accepted(both, [PHYSIO, WEIGHT], 1)]);
    expect(await record([accepted(both, [PHYSIO], 2)])).toEqual({ stored: 0, repeated: 1 });
    expect(await record([accepted(both, [WEIGHT], 3)])).toEqual({ stored: 0, repeated: 1 });
    expect(await record([accepted(both, [PHYSIO, WEIGHT], 4)])).toEqual({ stored: 0, repeated: 1 });
    expect(await stored(both)).toMatchObject({ acceptedSuggestionIds: [PHYSIO, WEIGHT], outcomeTimestamp: "2024-06-01T10:01:00Z" });
    expect(await get().acceptedSuggestionsColumn(both)).toBe(2);
  });

  it("two accepted items for one card in one call give the union", async () => {
    const card = await newCard();
    expect(await record([accepted(card, [WEIGHT], 1), accepted(card, [PHYSIO], 2)])).toEqual({ stored: 2, repeated: 0 });
    expect(await stored(card)).toMatchObject({ acceptedSuggestionIds: [PHYSIO, WEIGHT], outcomeTimestamp: "2024-06-01T10:01:00Z" });
    expect(await get().acceptedSuggestionsColumn(card)).toBe(2);
  });

  it("accepted then overridden is a conflict, and nothing of that call is stored", async () => {
    const [card, other] = [await newCard(), await newCard()];
    await record([accepted(card, [PHYSIO], 1)]);
    await expectConflict([overridden(other, "not-relevant-today", 2), overridden(card, "not-relevant-today", 2)], [card]);
    expect(await stored(other)).toBeUndefined();
    expect(await stored(card)).toMatchObject({ outcome: "accepted", acceptedSuggestionIds: [PHYSIO], reason: null });
  });

  it("overridden then accepted is a conflict, and nothing of that call is stored", async () => {
    const [card, other] = [await newCard(), await newCard()];
    await record([overridden(card, null, 1)]);
    await expectConflict([accepted(other, [PHYSIO], 2), accepted(card, [PHYSIO], 2)], [card]);
    expect(await stored(other)).toBeUndefined();
    expect(await stored(card)).toMatchObject({ outcome: "overridden", acceptedSuggestionIds: [], reason: null });
  });

  it("overridden again: the same reason (or none twice) is a repeat, another reason a conflict", async () => {
    const [withReason, without] = [await newCard(), await newCard()];
    await record([overridden(withReason, "not-relevant-today", 1), overridden(without, null, 1)]);
    expect(await record([overridden(withReason, "not-relevant-today", 2), overridden(without, null, 2)])).toEqual({ stored: 0, repeated: 2 });
    await expectConflict([overridden(withReason, "disagree-estimate", 3)], [withReason]);
    await expectConflict([overridden(withReason, null, 3)], [withReason]);
    await expectConflict([overridden(without, "disagree-estimate", 3)], [without]);
    expect(await stored(withReason)).toMatchObject({ reason: { system: REASON_SYSTEM, code: "not-relevant-today" }, outcomeTimestamp: "2024-06-01T10:01:00Z" });
    expect(await stored(without)).toMatchObject({ outcome: "overridden", reason: null });
  });

  it("a call adding a suggestion to one card and contradicting another stores nothing, not even the union", async () => {
    const [card1, card2, fresh] = [await newCard(), await newCard(), await newCard()];
    await record([accepted(card1, [WEIGHT], 1), overridden(card2, "not-relevant-today", 1)]);
    await expectConflict([accepted(card1, [PHYSIO], 2), accepted(fresh, [PHYSIO], 2), overridden(card2, "disagree-estimate", 2)], [card2]);
    expect(await stored(card1)).toMatchObject({ acceptedSuggestionIds: [WEIGHT] });
    expect(await get().acceptedSuggestionsColumn(card1)).toBe(1);
    expect(await stored(fresh)).toBeUndefined();
    expect(await stored(card2)).toMatchObject({ reason: { system: REASON_SYSTEM, code: "not-relevant-today" } });
  });

  it("accepted and overridden for one card in one call is a conflict storing nothing", async () => {
    const card = await newCard();
    await expectConflict([accepted(card, [PHYSIO], 1), overridden(card, null, 2)], [card]);
    expect(await stored(card)).toBeUndefined();
  });

  it("the summary counts a card accepted twice once, its totals the sums of its rows", async () => {
    const before = summarize(await get().store.summaryRows());
    const [card, other] = [await newCard(), await newCard()];
    await record([accepted(card, [PHYSIO], 1), overridden(other, "disagree-estimate", 1)]);
    await record([accepted(card, [WEIGHT], 2)]);
    const after = summarize(await get().store.summaryRows());
    // By hand: 2 new cards, 1 accepted (twice, one decision), 1 overridden with one reason.
    expect(after.cardsIssued - before.cardsIssued).toBe(2);
    expect(after.accepted - before.accepted).toBe(1);
    expect(after.overridden - before.overridden).toBe(1);
    expect(after.feedbackItems - before.feedbackItems).toBe(2);
    const high = (s: typeof after) => s.byTier.find((t) => t.tier === "high") ?? { cards: 0, accepted: 0, overridden: 0 };
    expect(high(after).accepted - high(before).accepted).toBe(1);
    const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
    expect(after.cardsIssued).toBe(sum(after.byTier.map((t) => t.cards)));
    expect(after.accepted).toBe(sum(after.byTier.map((t) => t.accepted)));
    expect(after.overridden).toBe(sum(after.byTier.map((t) => t.overridden)));
    expect(after.overridden).toBe(sum(after.overrideReasons.map((r) => r.count)));
  });
}
