/**
 * Another patient's data must never be scored. Each case sends, beside the patient's own
 * record, a knee OA Condition whose patient reference does not provably name the patient in
 * context: kept, it would turn the card into "already diagnosed" (no card at all). The card
 * must stay the one the record alone gives, and the log must count the drop with its reason.
 */
import { Writable } from "node:stream";
import type { Resource } from "fhir/r4";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODES, condition } from "../../support/fhir-builders.ts";
import { fullPrefetch, hookBody, searchset } from "../support/hook-requests.ts";
import { mockFhirServer } from "../support/mock-fhir-server.ts";
import { FHIR_BASE, HOOK_PATH, startTestService, type TestService } from "../support/test-service.ts";

const KNEE_OA = condition(CODES.kneeOaSnomed, { id: "koa", onsetDateTime: "2023-03-01", recordedDate: "2023-03-01" });

function kneeOaWithSubject(subject: unknown): Resource {
  return { ...KNEE_OA, subject } as unknown as Resource;
}

describe("resources that do not provably belong to the patient in context", () => {
  const lines: Record<string, any>[] = [];
  let svc: TestService;
  let baselineSummary: string;
  let baselineDetail: string;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    svc = await startTestService({ handlers: mockFhirServer({ resources: [] }).handlers, logger: pino({ level: "info" }, sink) });
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody({ fhirServer: FHIR_BASE }) });
    expect(res.body.cards).toHaveLength(1);
    baselineSummary = res.body.cards[0].summary;
    baselineDetail = res.body.cards[0].detail;
  });
  afterAll(() => svc.close());

  async function withCondition(...extra: Resource[]) {
    lines.length = 0;
    const prefetch = fullPrefetch();
    const own = (prefetch.conditions as { entry: { resource: Resource }[] }).entry.map((e) => e.resource);
    prefetch.conditions = searchset([...own, ...extra]);
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody({ prefetch, fhirServer: FHIR_BASE }) });
    const logged = lines.find((line) => line.outcome !== undefined);
    return { res, dropped: logged?.foreignResourcesDropped as Record<string, number> | undefined };
  }

  const cases: [string, unknown, string][] = [
    ["identifier only", { identifier: { value: "MRN-OTHER" } }, "patient reference has no reference string"],
    ["a number", 42, "patient reference is not a Reference"],
    ["an array", [{ reference: "Patient/p1" }], "patient reference is not a Reference"],
    ["a reference that is a number", { reference: 7 }, "patient reference has no reference string"],
    ["an absolute URL on another server naming the same id", { reference: "https://other.example/fhir/Patient/p1" }, "absolute reference not on the FHIR server's base"],
    ["a urn:uuid no Bundle gave to this patient", { reference: "urn:uuid:p1" }, "urn:uuid not this patient's Bundle entry"],
    ["another patient", { reference: "Patient/p2" }, "another patient"],
    ["a Group", { reference: "Group/p1" }, "reference is not to a Patient"],
  ];
  for (const [what, subject, reason] of cases) {
    it(`subject as ${what}: dropped, counted, the card unchanged`, async () => {
      const { res, dropped } = await withCondition(kneeOaWithSubject(subject));
      expect(res.status).toBe(200);
      expect(res.body.cards.map((c: any) => c.summary)).toEqual([baselineSummary]);
      expect(dropped).toEqual({ [reason]: 1 });
      // The card says so, among its data caveats: its estimate lacks what the EHR meant to send.
      const caveat = "- The EHR sent 1 record that does not name this patient (another patient, or no patient reference): left out of this estimate.";
      expect(res.body.cards[0].detail.split("Data caveats:")[1].split("\n")).toContain(caveat);
      expect(baselineDetail).not.toContain("not name this patient");
    });
  }

  it("counts every record set aside in the card's sentence, whatever the reasons", async () => {
    const { res, dropped } = await withCondition(kneeOaWithSubject({ reference: "Patient/p2" }), kneeOaWithSubject({ reference: "Patient/p3" }), kneeOaWithSubject(42));
    expect(dropped).toEqual({ "another patient": 2, "patient reference is not a Reference": 1 });
    expect(res.body.cards[0].detail).toContain("- The EHR sent 3 records that do not name this patient (another patient, or no patient reference): left out of this estimate.");
  });

  it("no subject at all: dropped as 'no patient reference'", async () => {
    const { subject: _subject, ...noSubject } = KNEE_OA;
    const { res, dropped } = await withCondition(noSubject as Resource);
    expect(res.body.cards.map((c: any) => c.summary)).toEqual([baselineSummary]);
    expect(dropped).toEqual({ "no patient reference": 1 });
  });

  // The other side of the rule: a reference that does name the patient (relative, or absolute
  // on the fhirServer's base) is scored, and the diagnosis removes the card.
  for (const reference of ["Patient/p1", `${FHIR_BASE}/Patient/p1`, `${FHIR_BASE}/Patient/p1/_history/3`]) {
    it(`${reference} is the patient in context: already diagnosed, no card`, async () => {
      const { res, dropped } = await withCondition(kneeOaWithSubject({ reference }));
      expect(res.status).toBe(200);
      expect(res.body.cards).toEqual([]);
      expect(dropped).toBeUndefined();
    });
  }
});
