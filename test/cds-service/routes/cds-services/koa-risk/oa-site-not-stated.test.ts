/** The card says when osteoarthritis without a stated joint is on record: it may be the knee. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { condition, icd10, snomed } from "../../../../support/fhir-builders.ts";
import { fullPrefetch, patientRecord, searchset } from "../../../support/hook-requests.ts";
import { hookCard } from "../../../support/hook-card.ts";
import { startTestService, type TestService } from "../../../support/test-service.ts";

describe("koa-risk hook: osteoarthritis without a stated joint", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(() => svc.close());

  const withConditions = (...extra: ReturnType<typeof condition>[]) => ({
    ...fullPrefetch(),
    conditions: searchset([...patientRecord().conditions, ...extra]),
  });

  it("says it beside the risk, with the most recent one's date (index date 2024-06-01)", async () => {
    const card = await hookCard(
      svc,
      withConditions(
        condition(snomed("396275006"), { id: "oa1", onsetDateTime: "2022-03-01", recordedDate: "2022-03-01" }),
        condition(icd10("M19.90"), { id: "oa2", onsetDateTime: "2023-10-05", recordedDate: "2023-10-05" }),
      ),
    );
    expect(card.detail).toContain("Osteoarthritis without a stated joint is on record (most recently 2023-10-05): if it is the knee");
  });

  it("says nothing for osteoarthritis of another named joint, or without any", async () => {
    const hand = await hookCard(svc, withConditions(condition(icd10("M19.041"), { id: "h", onsetDateTime: "2023-10-05" })));
    expect(hand.detail).not.toContain("without a stated joint");
    expect((await hookCard(svc, fullPrefetch())).detail).not.toContain("without a stated joint");
  });
});
