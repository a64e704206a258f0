// @vitest-environment jsdom
/** The reasons' hint names the reference values the explanation compares with. */
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { CHANNELS, WEEKS } from "../../../shared/features/spec.ts";
import type { PatientFeatures } from "../../../shared/features/types.ts";
import { explainRisk } from "../../../shared/inference/explain.ts";
import { Reasons } from "../../../app/views/Reasons.tsx";
import { woman67 } from "../../support/example-features.ts";
import { flatModel } from "../../support/flat-model.ts";

afterEach(cleanup);

/** A 67-year-old woman with BMI 33 and knee pain (static scaling: models/FEATURES.md). */
function features(): PatientFeatures {
  return woman67((sequence) => {
    sequence[CHANNELS.findIndex((c) => c.id === "knee_pain") * WEEKS + 150] = 1 / 7;
  });
}

const hint = () => screen.getByTestId("reasons-hint").textContent ?? "";

describe("Reasons' hint", () => {
  it("names the model card's reference values: age 50 and BMI 22", () => {
    render(<Reasons drivers={[]} records={new Map()} />);
    expect(hint()).toContain("no record of it; age 50; BMI 22;");
    expect(hint()).toContain("the average of female and male");
    // Reviewers saw drivers against clinical knowledge (an obese BMI lowering the risk): said so.
    expect(hint()).toContain("These factors explain this model, trained on synthetic data, not the patient's biology");
    // Sentences apart, as the card writes them (a JSX line starting with an expression loses its space).
    expect(hint()).toContain("in percentage points. The changes do not add up: the factors act together. These factors explain");
  });

  it("names the values the explanation's drivers are compared with", async () => {
    const { drivers } = await explainRisk(flatModel(0.03), features());
    const bmi = /compared with BMI (\d+(?:\.\d+)?)/.exec(drivers.find((d) => d.key === "bmi")?.detail ?? "")?.[1];
    const age = /compared with (\d+)/.exec(drivers.find((d) => d.key === "age")?.detail ?? "")?.[1];
    expect([age, bmi]).toEqual(["50", "22"]);
    render(<Reasons drivers={drivers} records={new Map()} />);
    expect(hint()).toContain(`age ${age}; BMI ${bmi}`);
  });
});
