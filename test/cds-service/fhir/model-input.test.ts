/**
 * The model reads body-measure Observations only (shared/model-input.ts). A FHIR server that
 * ignores the bodyMeasures query's `code` parameter answers with every Observation; an older
 * lab result among them would lengthen the history the model sees and change the card, which
 * the same record scored by the population job (which applies the same rule) would not show.
 */
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { observation } from "../../support/fhir-builders.ts";
import { hookBody, shortHistoryPrefetch } from "../support/hook-requests.ts";
import { HOOK_PATH, startTestService, type TestService } from "../support/test-service.ts";

describe("koa-risk hook: Observations that are not model input", () => {
  const lines: Record<string, any>[] = [];
  let svc: TestService;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    svc = await startTestService({ logger: pino({ level: "info" }, sink) });
  });
  afterAll(() => svc.close());

  async function call(prefetch: Record<string, unknown>) {
    lines.length = 0;
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody({ prefetch }) });
    expect(res.status).toBe(200);
    expect(res.body.cards).toHaveLength(1);
    const logged = lines.find((line) => line.outcome !== undefined);
    return { card: res.body.cards[0] as { summary: string; detail: string }, notModelInput: logged?.resourcesNotModelInput };
  }

  it("a 2021 glucose result among the body measures neither lengthens the history nor moves the risk; it is counted", async () => {
    const bmi = observation("39156-5", 33.1, "kg/m2", "2023-09-01", { id: "o1" });
    // The record starts 2023-09-01, 0.750 years (9 months) before the index date; as a record day, the
    // glucose result's 2021-06-01 would give the full 3 years of history.
    const glucose = observation("2345-7", 5.4, "mmol/L", "2021-06-01", { id: "lab1" });
    const asked = await call(shortHistoryPrefetch([bmi]));
    const everything = await call(shortHistoryPrefetch([bmi, glucose]));
    expect(asked.card.detail).toContain("Only 9 months of the 3 years of history");
    expect(everything.card.detail).toContain("Only 9 months of the 3 years of history");
    expect(everything.card.summary).toBe(asked.card.summary);
    expect(asked.notModelInput).toBeUndefined();
    expect(everything.notModelInput).toBe(1);
  });
});
