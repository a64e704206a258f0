/** The app's assessment carries the card's caveats, found by the card's rules. */
import { describe, expect, it } from "vitest";
import { assessPatient } from "../../../app/risk/assess-patient.ts";
import { condition, icd10, patient, procedure, snomed } from "../../support/fhir-builders.ts";
import { flatModel } from "../../support/flat-model.ts";

const models = { risk: flatModel(0.03), baseline: flatModel(0.01) };
const person = patient({ birthDate: "1960-03-14", gender: "female" });

describe("assessPatient's caveats", () => {
  it("finds osteoarthritis without a stated joint before the index date, with or without a risk", async () => {
    const record = [person, condition(icd10("M19.90"), { onsetDateTime: "2023-02-03" }), condition(snomed("396275006"), { onsetDateTime: "2025-03-01" })];
    const assessed = await assessPatient(models, { resources: record, cardContext: [] }, "2025-01-01");
    expect(assessed.oaSiteNotStated).toEqual({ date: "2023-02-03" });
    expect(assessed.result.probability).toBeCloseTo(0.03, 6);
    const diagnosed = await assessPatient(models, { resources: [...record, condition(icd10("M17.11"), { onsetDateTime: "2024-01-01" })], cardContext: [] }, "2025-01-01");
    expect(diagnosed.result.probability).toBeUndefined();
    expect(diagnosed.oaSiteNotStated).toEqual({ date: "2023-02-03" });
  });

  it("is null when only osteoarthritis of a named joint is on record", async () => {
    const assessed = await assessPatient(models, { resources: [person, condition(icd10("M19.041"), { onsetDateTime: "2023-02-03" })], cardContext: [] }, "2025-01-01");
    expect(assessed.oaSiteNotStated).toBeNull();
  });

  const TKR = snomed("609588000"); // Total knee replacement

  it("finds a knee replacement Procedure among the card's context, with or without a risk", async () => {
    const cardContext = [procedure(TKR, { performedDateTime: "2022-05-10" }), procedure(TKR, { performedDateTime: "2025-02-01" })];
    const assessed = await assessPatient(models, { resources: [person], cardContext }, "2025-01-01");
    // The one after the index date is not yet on record.
    expect(assessed.kneeReplaced).toEqual({ date: "2022-05-10" });
    expect(assessed.result.probability).toBeCloseTo(0.03, 6);
    const diagnosed = await assessPatient(models, { resources: [person, condition(icd10("M17.11"), { onsetDateTime: "2024-01-01" })], cardContext }, "2025-01-01");
    expect(diagnosed.result.probability).toBeUndefined();
    expect(diagnosed.kneeReplaced).toEqual({ date: "2022-05-10" });
  });

  it("finds an artificial knee joint (Z96.651) among the diagnoses, the most recent of it and a Procedure dating it", async () => {
    const artificialKnee = condition(icd10("Z96.651"), { onsetDateTime: "2023-08-20" });
    const alone = await assessPatient(models, { resources: [person, artificialKnee], cardContext: [] }, "2025-01-01");
    expect(alone.kneeReplaced).toEqual({ date: "2023-08-20" });
    const both = await assessPatient(models, { resources: [person, artificialKnee], cardContext: [procedure(TKR, { performedDateTime: "2022-05-10" })] }, "2025-01-01");
    expect(both.kneeReplaced).toEqual({ date: "2023-08-20" });
  });

  it("is null for a knee replacement not done", async () => {
    const notDone = procedure(TKR, { performedDateTime: "2022-05-10" }, { status: "not-done" });
    const assessed = await assessPatient(models, { resources: [person], cardContext: [notDone] }, "2025-01-01");
    expect(assessed.kneeReplaced).toBeNull();
  });
});
