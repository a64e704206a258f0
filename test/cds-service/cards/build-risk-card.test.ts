import { describe, expect, it } from "vitest";
import { buildRiskCard, formatRisk, meetsMinimumTier, type CardOptions, type CardRisk } from "../../../cds-service/cards/build-risk-card.ts";
import { MODEL_DISCLAIMER } from "../../../shared/assess-risk.ts";
import { DRIVERS_CAVEAT } from "../../../shared/shown-drivers.ts";
import { CardSchema, emptyValues } from "../support/cds-response-schema.ts";
import { KOA_RISK_PREFETCH } from "../../../shared/risk-record-queries.ts";

/** A prefetch key the EHR could not supply. */
const unreadPart = (key: string) => ({ query: KOA_RISK_PREFETCH.find((spec) => spec.key === key)! });

const CARD_UUID = "0f6f7c2e-6a43-4c1e-9d3b-5a8f3a2b1c00";

const risk = (over: Partial<CardRisk> = {}): CardRisk => ({
  patientId: "p1",
  probability: 0.0634,
  tier: "high",
  drivers: [
    { group: { kind: "diagnosis", id: "knee_pain" }, key: "diagnosis:knee_pain", label: "Knee pain", detail: "recorded in 6 of the 156 weeks before the index date (3 years)", effect: 0.031 },
    { group: { kind: "age" }, key: "age", label: "Age", detail: "Age 64 (compared with 50)", effect: 0.012 },
    { group: { kind: "sex" }, key: "sex", label: "Sex", detail: "Male", effect: -0.004 },
    { group: { kind: "bmi" }, key: "bmi", label: "Body mass index", detail: "no change", effect: 0 },
  ],
  warnings: [],
  bmi: 33.1,
  historyYears: 3,
  sex: "male",
  baselineProbability: 0.0211,
  ...over,
});

const options = (over: Partial<CardOptions> = {}): CardOptions => ({
  cardUuid: CARD_UUID,
  indexDate: "2024-06-01",
  modelName: "deep-koa",
  modelVersion: "1.2.3",
  modelCardUrl: "https://cds.example/model-card",
  appLaunchUrl: "https://app.example/launch.html",
  appContextInLaunchUrl: false,
  unavailableData: [],
  ...over,
});

describe("buildRiskCard", () => {
  it("puts an imaging finding first in the summary, under 140 characters for the longest risk of each tier", () => {
    // Tiers: Low under 1%, Moderate under 5%, High from 5% (shared/risk-tiers.ts). Just under a
    // bound the risk prints "<1.0%" and "<5.0%", and ">99.9%" at the top (shared/format-risk.ts):
    // the longest. "Imaging AI suggests knee OA (KL 4), not coded; " 47 + "1-year risk of a
    // diagnosis: " 28 + "<5.0%" 5 + " (Moderate; " 12 + the disclaimer 42 + ")" 1 = 135.
    const kl = { grade: 4, side: "left", date: "2024-04-02" } as const;
    const summaries = [
      buildRiskCard(risk({ probability: 0.0097, tier: "low", recentKneeOaGrade: kl }), options()).summary,
      buildRiskCard(risk({ probability: 0.0497, tier: "moderate", recentKneeOaGrade: kl }), options()).summary,
      buildRiskCard(risk({ probability: 0.99999, tier: "high", recentKneeOaGrade: kl }), options()).summary,
    ];
    expect(summaries).toEqual([
      "Imaging AI suggests knee OA (KL 4), not coded; 1-year risk of a diagnosis: <1.0% (Low; synthetic-data model, not for clinical use)",
      "Imaging AI suggests knee OA (KL 4), not coded; 1-year risk of a diagnosis: <5.0% (Moderate; synthetic-data model, not for clinical use)",
      "Imaging AI suggests knee OA (KL 4), not coded; 1-year risk of a diagnosis: >99.9% (High; synthetic-data model, not for clinical use)",
    ]);
    expect(summaries.map((summary) => summary.length)).toEqual([130, 135, 132]);
  });

  it("builds a valid CDS Hooks 2.0 card with risk, tier, drivers, model version and the disclaimer", () => {
    const card = buildRiskCard(risk(), options());
    expect(CardSchema.parse(card)).toBeTruthy();
    expect(emptyValues(card)).toEqual([]);
    // One sentence, as CDS Hooks asks of a summary.
    expect(card.summary).toBe("Knee OA risk in the next year: 6.3% (High; synthetic-data model, not for clinical use)");
    expect(card.summary.length).toBeLessThan(140);
    expect(card.indicator).toBe("warning");
    expect(card.uuid).toBe(CARD_UUID);
    // The name, what the record shows (never "Age: Age 64"), then the change after a dash: no verb
    // to agree with a plural name ("Oral NSAIDs raises").
    expect(card.detail).toContain("- **Knee pain**: recorded in 6 of the 156 weeks before the index date (3 years) — raises the estimate by 3.1 percentage points");
    expect(card.detail).toContain("- **Age** 64 (compared with 50) — raises the estimate by 1.2 percentage points");
    expect(card.detail).toContain("- **Sex**: Male — lowers the estimate by 0.4 percentage points");
    expect(card.detail).not.toContain("Body mass index");
    // The index day is not history (the builder reads only what is dated before it).
    expect(card.detail).toContain("Model: deep-koa 1.2.3; history before 2024-06-01.");
    expect(card.detail).toContain(MODEL_DISCLAIMER);
    expect(card.source).toEqual({ label: expect.stringContaining("synthetic"), url: "https://cds.example/model-card" });
    expect(card.overrideReasons!.every((r) => r.code && r.system && r.display)).toBe(true);
  });

  it("says the weight management it suggests rests on the evidence when the model credits an obese BMI with lowering the estimate, even beyond its four drivers", () => {
    const bmiLowers = { group: { kind: "bmi" }, key: "bmi", label: "Body mass index", detail: "BMI 35.3 (compared with BMI 25)", effect: -0.001 } as const;
    const fourLarger = risk().drivers.slice(0, 3).concat({ ...risk().drivers[0]!, key: "diagnosis:hypertension", effect: 0.002 });
    const card = buildRiskCard(risk({ bmi: 35.3, drivers: [...fourLarger, bmiLowers] }), options());
    expect(card.detail).not.toContain("**Body mass index**");
    expect(card.suggestions?.map((s) => s.label)).toContain("Propose a weight management programme");
    const paragraphs = card.detail!.split("\n\n");
    // Right after the drivers and their caveat.
    expect(paragraphs[paragraphs.findIndex((p) => p.endsWith(DRIVERS_CAVEAT)) + 1]).toBe(
      "This model credits the BMI of 35.3 with lowering this estimate (by 0.1 percentage points), against clinical evidence, " +
        "where excess weight raises the risk of knee OA: weight management is suggested on that evidence, not on this model.",
    );
    // Not when the BMI raises it.
    expect(buildRiskCard(risk({ bmi: 35.3, drivers: [...fourLarger, { ...bmiLowers, effect: 0.001 }] }), options()).detail).not.toContain("credits the BMI");
  });

  it("compares the risk with that of people of the same age and sex, right after it", () => {
    // 0.0634 / 0.0211 = 3.005.
    const paragraphs = buildRiskCard(risk(), options()).detail!.split("\n\n");
    expect(paragraphs[1]).toBe("3.0 times the risk of people of the same age and sex (2.1%, age/sex baseline model).");
    // A Moderate risk below what age and sex carry says so: 1.5% against 2.5%.
    const below = buildRiskCard(risk({ tier: "moderate", probability: 0.015, baselineProbability: 0.025 }), options()).detail!;
    expect(below).toContain("Lower than the risk of people of the same age and sex (2.5%, age/sex baseline model).");
    // 2.6% against 2.5%: a ratio of 1.04, within a tenth of 1.
    const same = buildRiskCard(risk({ tier: "moderate", probability: 0.026, baselineProbability: 0.025 }), options()).detail!;
    expect(same).toContain("About the same as the risk of people of the same age and sex (2.5%, age/sex baseline model).");
  });

  it("leaves the comparison out when it would not be true or the baseline model failed", () => {
    const detail = (over: Partial<CardRisk>) => buildRiskCard(risk(over), options()).detail!;
    expect(detail({ sex: "unknown" })).not.toContain("same age and sex");
    expect(detail({ sex: "other" })).not.toContain("same age and sex");
    expect(detail({ baselineProbability: null })).not.toContain("same age and sex");
    expect(detail({})).toContain("same age and sex");
  });

  it("uses info for moderate and low tiers, never critical", () => {
    expect(buildRiskCard(risk({ tier: "moderate", probability: 0.03 }), options()).indicator).toBe("info");
    expect(buildRiskCard(risk({ tier: "low", probability: 0.005 }), options()).indicator).toBe("info");
  });

  it("links to the app with appContext, and repeats it in the URL for EHRs that drop it", () => {
    const [link] = buildRiskCard(risk(), options()).links!;
    expect(link).toMatchObject({ type: "smart", url: "https://app.example/launch.html" });
    expect(JSON.parse(link!.appContext!)).toEqual({ cardUuid: CARD_UUID, indexDate: "2024-06-01" });
    const [quirky] = buildRiskCard(risk(), options({ appContextInLaunchUrl: true })).links!;
    const url = new URL(quirky!.url);
    expect(url.searchParams.get("cardUuid")).toBe(CARD_UUID);
    expect(url.searchParams.get("indexDate")).toBe("2024-06-01");
  });

  it("says the record is not current among the data caveats, of the parts that could be read when a part of the model's input was not", () => {
    const stale = risk({ recordNotCurrent: { latestBefore: "2021-09-10" } });
    const line = (partly: string) =>
      `- Nothing the model reads (visits, diagnoses, medicines, BMI, weight and height) is dated in the 365 days before 2024-06-01${partly} ` +
      "(the latest such entry is from 2021-09-10): care given since, elsewhere or not yet recorded, is not in this estimate.";
    const detail = (unread: string[]) => buildRiskCard(stale, options({ unavailableData: unread.map(unreadPart) })).detail!.split("Data caveats:")[1]!.split("\n");
    expect(detail([])).toContain(line(""));
    // The Procedures are the card's context, never the model's input: what the model read is whole.
    expect(detail(["procedures"])).toContain(line(""));
    expect(detail(["bodyMeasures"])).toContain(line(" in the parts of the record that could be read"));
    expect(detail(["procedures", "medicationDispenses"])).toContain(line(" in the parts of the record that could be read"));
  });

  it("lists data caveats: no BMI, short history, data the EHR could not supply", () => {
    const card = buildRiskCard(risk({ warnings: ["no_bmi", "short_history"], historyYears: 0.3, bmi: null }), options({ unavailableData: [unreadPart("medicationStatements")] }));
    expect(card.detail).toContain("No BMI on record");
    // 0.3 years is 3.6 months: whole months, counted down.
    expect(card.detail).toContain("- Only 3 months of the 3 years of history the model expects are on record.");
    expect(card.detail).toContain("could not supply medication statements");
  });

  it("says among the data caveats when the BMI the model used is older than its 3 years of history", () => {
    // Index date 2024-06-01 is 1,096 days after 2021-06-01 (365 + 365 + 366, with 2024-02-29): the
    // 1,092-day window starts 2021-06-05.
    const caveats = (bmiDate: string) => buildRiskCard(risk({ bmiDate }), options()).detail!.split("Data caveats:")[1] ?? "";
    expect(caveats("2021-06-04")).toContain(
      "- The latest BMI on record, 33.1 on 2021-06-04, is older than the 3 years of history the model reads: the estimate uses it, though weight may have changed since.",
    );
    expect(caveats("2021-06-05")).not.toContain("latest BMI");
  });

  it("writes a short history in months, never as 0.0 years", () => {
    const caveat = (historyYears: number) =>
      buildRiskCard(risk({ warnings: ["short_history"], historyYears }), options()).detail!.split("\n").find((l) => l.includes("the model expects"));
    // 0.99 years is 11.88 months: 11, not a year.
    expect(caveat(0.99)).toBe("- Only 11 months of the 3 years of history the model expects are on record.");
    expect(caveat(1 / 12)).toBe("- Only 1 month of the 3 years of history the model expects is on record.");
    // 10 days.
    expect(caveat(10 / 365.25)).toBe("- Less than a month of the 3 years of history the model expects is on record.");
    expect(caveat(0)).toBe("- None of the 3 years of history the model expects is on record.");
  });

  it("suggests physiotherapy (high tier) and weight management (BMI >= 30) as draft ServiceRequest proposals", () => {
    const card = buildRiskCard(risk(), options());
    expect(card.selectionBehavior).toBe("any");
    expect(card.suggestions).toHaveLength(2);
    for (const s of card.suggestions!) {
      const resource = s.actions![0]!.resource as { resourceType: string; status: string; intent: string; subject: { reference: string } };
      expect(s.actions![0]!.type).toBe("create");
      expect(resource).toMatchObject({ resourceType: "ServiceRequest", status: "draft", intent: "proposal", subject: { reference: "Patient/p1" } });
    }
    expect(new Set(card.suggestions!.map((s) => s.uuid)).size).toBe(2);
  });

  it("gives physiotherapy the model's tier as its reason, and weight management the BMI alone, each coded", () => {
    const [physio, weight] = buildRiskCard(risk(), options()).suggestions!.map((s) => s.actions![0]!.resource as unknown as { code: unknown; reasonCode: unknown });
    expect(physio).toMatchObject({
      code: { coding: [{ system: "http://snomed.info/sct", code: "91251008" }] },
      reasonCode: [{ text: "Estimated high 1-year risk of knee osteoarthritis (Patella, synthetic-data model)" }],
    });
    // The card says weight management rests on clinical evidence, not on the model: so does its reason.
    expect(weight).toEqual(
      expect.objectContaining({
        code: { coding: [{ system: "http://snomed.info/sct", code: "408289007", display: "Refer to weight management program" }], text: "Weight management programme" },
        reasonCode: [{ text: "BMI 33.1: obesity (BMI 30 or more) raises the risk of knee osteoarthritis" }],
      }),
    );
    // A moderate tier with an obese BMI: weight management alone, the same reason.
    const moderate = buildRiskCard(risk({ tier: "moderate", probability: 0.03 }), options()).suggestions!;
    expect(moderate.map((s) => s.label)).toEqual(["Propose a weight management programme"]);
  });

  it("omits suggestions and selectionBehavior (never []) when none apply", () => {
    const card = buildRiskCard(risk({ tier: "moderate", probability: 0.03, bmi: 24 }), options());
    expect("suggestions" in card).toBe(false);
    expect("selectionBehavior" in card).toBe(false);
    expect(emptyValues(card)).toEqual([]);
  });

  it("says right under the drivers that their sizes do not add up and that they explain the model, not causes in this patient", () => {
    const paragraphs = buildRiskCard(risk(), options()).detail!.split("\n\n");
    const list = paragraphs.findIndex((p) => p.startsWith("- **Knee pain**: recorded"));
    // 3.1 + 1.2 points raise a 6.3% risk; each is measured alone, and a reader may add them.
    expect(paragraphs[list + 1]).toBe(`The changes do not add up: the factors act together. ${DRIVERS_CAVEAT}`);
    // The meaning of the SMART app's reasons hint (app/views/Reasons.tsx).
    expect(DRIVERS_CAVEAT).toContain("this model, trained on synthetic data, not the patient's biology");
  });

  it("omits the drivers section, and its caveat, when no driver moved the estimate", () => {
    const card = buildRiskCard(risk({ drivers: [] }), options());
    expect(card.detail).not.toContain("Main drivers");
    expect(card.detail).not.toContain("synthetic data, not the patient's biology");
  });
});

describe("formatRisk and meetsMinimumTier", () => {
  it("formats probabilities at the edges", () => {
    expect(formatRisk(0.0004)).toBe("<0.1%");
    expect(formatRisk(0.9999)).toBe(">99.9%");
    expect(formatRisk(0.125)).toBe("12.5%");
  });

  it("orders tiers low < moderate < high", () => {
    expect(meetsMinimumTier("moderate", "moderate")).toBe(true);
    expect(meetsMinimumTier("low", "moderate")).toBe(false);
    expect(meetsMinimumTier("high", "moderate")).toBe(true);
    expect(meetsMinimumTier("moderate", "high")).toBe(false);
  });

  it("never prints a driver as 0.0 percentage points: effects under 0.05 points are left out", () => {
    const driver = (key: string, effect: number) => ({ group: { kind: "diagnosis" as const, id: "knee_pain" as const }, key, label: key, detail: "d", effect });
    const card = buildRiskCard(risk({ drivers: [driver("tiny", 0.00049), driver("small", -0.0004999), driver("shown", 0.00051)] }), options());
    expect(card.detail).not.toContain("0.0 percentage points");
    expect(card.detail).not.toContain("**tiny**");
    expect(card.detail).not.toContain("**small**");
    // 0.051 points rounds to 0.1.
    expect(card.detail).toContain("- **shown**: d — raises the estimate by 0.1 percentage points");
  });

  it("shows a missing BMI as a caveat, never as a driver", () => {
    const noBmi = { group: { kind: "bmi" as const }, key: "bmi", label: "Body mass index", detail: "No BMI recorded (compared with BMI 25)", effect: 0.02 };
    const card = buildRiskCard(risk({ bmi: null, warnings: ["no_bmi"], drivers: [noBmi, ...risk().drivers] }), options());
    expect(card.detail).not.toContain("Body mass index");
    expect(card.detail).toContain("- No BMI on record: the estimate is made without it.");
    expect(card.detail).toContain("- **Knee pain**: recorded in 6 of the 156 weeks before the index date (3 years) — raises the estimate by 3.1 percentage points");
    // With a BMI on record, BMI is a driver like any other.
    expect(buildRiskCard(risk({ drivers: [{ ...noBmi, detail: "BMI 33.1 (compared with BMI 25)" }] }), options()).detail).toContain("- **Body mass index**: BMI 33.1 (compared with BMI 25) — raises");
  });

  it("does not say no BMI is on record when the body measures could not be read: it says that instead", () => {
    const unread = buildRiskCard(risk({ bmi: null, warnings: ["no_bmi"] }), { ...options(), unavailableData: [unreadPart("bodyMeasures")] });
    expect(unread.detail).not.toContain("No BMI on record");
    expect(unread.detail).toContain("- The EHR could not supply BMI, weight and height; the estimate is made without them.");
    // Another part unread: the BMI is still known to be missing.
    const other = buildRiskCard(risk({ bmi: null, warnings: ["no_bmi"] }), { ...options(), unavailableData: [unreadPart("medicationStatements")] });
    expect(other.detail).toContain("- No BMI on record: the estimate is made without it.");
  });
});
