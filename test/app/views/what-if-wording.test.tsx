// @vitest-environment jsdom
/**
 * The what-if's words (the clinician review of 2026-12): without a BMI on record the control
 * starts empty and the answer is a BMI that "were recorded", not a change of the patient's; a
 * refused entry keeps the slider at the last BMI accepted and says so; and the answer compares
 * the two risks "compared with" and states their difference in every case, beside a bound too.
 * Every expected sentence below is worked out by hand from the risks the test's compute returns.
 */
import { cleanup, render, screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { LoadedQuery } from "../../../app/data/load-record.ts";
import { WhatIf } from "../../../app/views/WhatIf.tsx";
import type { WhatIfResult } from "../../../shared/what-if-bmi.ts";

afterEach(cleanup);

const box = () => screen.getByLabelText("BMI value") as HTMLInputElement;
const slider = () => screen.getByLabelText("BMI (kg/m²)") as HTMLInputElement;
const result = () => screen.getByTestId("what-if-result").textContent ?? "";
const error = () => screen.getByTestId("what-if-error").textContent ?? "";

/** A compute that answers `probability(bmi)` with the chosen BMI used, and records what it was asked. */
function answering(probability: (bmi: number) => number) {
  const asked: number[] = [];
  const compute = async (bmi: number): Promise<WhatIfResult> => {
    asked.push(bmi);
    return { bmi, usedBmi: bmi, probability: probability(bmi) };
  };
  return { asked, compute };
}

async function typeBmi(text: string) {
  await userEvent.clear(box());
  if (text !== "") await userEvent.type(box(), text);
}

describe("the what-if without a BMI on record", () => {
  it("starts with an empty box (a placeholder, no value) and a slider with no BMI chosen, and refuses nothing yet", () => {
    render(<WhatIf probability={0.012} bmi={null} compute={answering(() => 0.008).compute} />);
    expect(screen.getByTestId("what-if").textContent).toContain("No BMI is recorded now.");
    expect(box().value).toBe("");
    expect(box().placeholder).not.toBe("");
    expect(box().placeholder).not.toMatch(/\d/);
    // No number anywhere in the control that could read as the patient's BMI.
    expect(slider().getAttribute("aria-valuetext")).toBe("No BMI chosen");
    expect(slider().classList.contains("unset")).toBe(true);
    expect(screen.getByTestId("what-if").textContent).not.toContain("25.0");
    // An empty box at the start is not a refused entry.
    expect(box().getAttribute("aria-invalid")).toBe("false");
    expect(error()).toBe("");
  });

  it("words the answer as a BMI that were recorded, compared with the risk now without one", async () => {
    // Zainab Bianchi in the review: 1.2% (Moderate) with no BMI; BMI 22 gave 0.8% (Low).
    const { asked, compute } = answering(() => 0.008);
    render(<WhatIf probability={0.012} bmi={null} compute={compute} />);
    await typeBmi("22");
    await screen.findByText(/If a BMI of 22\.0 were recorded/);
    expect(asked).toEqual([22]);
    // 1.2% - 0.8% = 0.4 points lower.
    expect(result()).toBe("If a BMI of 22.0 were recorded: 0.8% (Low risk) compared with 1.2% (Moderate risk) now without one, 0.4 percentage points lower.");
    expect(result()).not.toContain("With BMI");
    // The slider now shows the BMI accepted.
    expect(slider().value).toBe("22");
    expect(slider().hasAttribute("aria-valuetext")).toBe(false);
  });

  it("does not say 'without one' when the BMI on record is not known (the body measures could not be read)", async () => {
    const unread = { query: { key: "bodyMeasures", label: "body measures", resourceType: "Observation" }, outcome: { status: "failed", message: "HTTP 500" } } as unknown as LoadedQuery;
    render(<WhatIf probability={0.012} bmi={null} bmiUnread={unread} compute={answering(() => 0.008).compute} />);
    expect(box().value).toBe("");
    await typeBmi("22");
    await screen.findByText(/If a BMI of 22\.0 were recorded/);
    expect(result()).toBe("If a BMI of 22.0 were recorded: 0.8% (Low risk) compared with 1.2% (Moderate risk) now, 0.4 percentage points lower.");
  });
});

describe("a refused entry and the slider", () => {
  it("keeps the slider at the last BMI accepted and says so beside the reason", async () => {
    render(<WhatIf probability={0.057} bmi={34.2} compute={answering(() => 0.05).compute} />);
    await typeBmi("22.5");
    await screen.findByText(/With BMI 22\.5/);
    await typeBmi("12");
    expect(box().value).toBe("12");
    expect(slider().value).toBe("22.5");
    expect(error()).toBe("A BMI of 12 is outside this what-if's range. Enter a BMI from 15 to 50 kg/m². The slider stays at 22.5, the last BMI accepted.");
    expect(result()).toBe("");
  });
});

describe("the what-if's difference, in plain words, in every case", () => {
  it.each([
    // [risk now, what-if risk, the sentence after "With BMI ...: "]; a BMI of 22 where the risk
    // falls, 30 where it rises, so that no case runs against the evidence (its own sentence).
    // 1.4% written, 0.0096 written "<1.0%" beside Low: below 1.0, so more than 1.4 - 1.0 = 0.4 points lower (Mary Fischer in the review).
    [0.0138, 0.0096, "<1.0% (Low risk) compared with 1.4% (Moderate risk) now, more than 0.4 percentage points lower."],
    // 5.7% then 4.1%: 1.6 points lower.
    [0.057, 0.041, "4.1% (Moderate risk) compared with 5.7% (High risk) now, 1.6 percentage points lower."],
    // 1.2% then 1.3%: 0.1 points higher.
    [0.0124, 0.0131, "1.3% (Moderate risk) compared with 1.2% (Moderate risk) now, 0.1 percentage points higher."],
    // "<1.0%" now (0.0097) then 0.8%: the now is below 1.0, so the fall is less than 1.0 - 0.8 = 0.2 points.
    [0.0097, 0.008, "0.8% (Low risk) compared with <1.0% (Low risk) now, less than 0.2 percentage points lower."],
    // "<1.0%" now then 1.3%: more than 1.3 - 1.0 = 0.3 points higher.
    [0.0097, 0.0131, "1.3% (Moderate risk) compared with <1.0% (Low risk) now, more than 0.3 percentage points higher."],
    // 0.8% now then "<1.0%": less than 0.2 points higher.
    [0.008, 0.0097, "<1.0% (Low risk) compared with 0.8% (Low risk) now, less than 0.2 percentage points higher."],
    // Both written 1.2%.
    [0.01239, 0.01241, "1.2% (Moderate risk) compared with 1.2% (Moderate risk) now, the same as written."],
  ])("now %s, what-if %s: %s", async (now, whatIf, sentence) => {
    const typed = whatIf > now ? "30" : "22";
    render(<WhatIf probability={now} bmi={26.6} compute={answering(() => whatIf).compute} />);
    await typeBmi(typed);
    await screen.findByText(new RegExp(`With BMI ${typed}\\.0`));
    expect(result()).toBe(`With BMI ${typed}.0: ${sentence}`);
    expect(result()).not.toContain("against");
  });
});
