// @vitest-environment jsdom
/** The what-if control refuses what it cannot honestly compute, starts at the recorded BMI as
 * printed, and says the record holds a BMI that day only when the computation says so. */
import { cleanup, render, screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { WhatIfResult } from "../../../shared/what-if-bmi.ts";
import { WhatIf } from "../../../app/views/WhatIf.tsx";

afterEach(cleanup);

/** A compute that records what it was asked and answers `probability` with the chosen BMI used. */
function recorder(answer: (bmi: number) => Partial<WhatIfResult> = () => ({})) {
  const asked: number[] = [];
  const compute = async (bmi: number): Promise<WhatIfResult> => {
    asked.push(bmi);
    return { bmi, usedBmi: bmi, probability: 0.05, ...answer(bmi) };
  };
  return { asked, compute };
}

const box = () => screen.getByLabelText("BMI value") as HTMLInputElement;
const slider = () => screen.getByLabelText("BMI (kg/m²)") as HTMLInputElement;
const result = () => screen.getByTestId("what-if-result").textContent ?? "";

async function typeBmi(text: string) {
  await userEvent.clear(box());
  if (text !== "") await userEvent.type(box(), text);
}

describe("WhatIf refuses an entry it cannot compute honestly", () => {
  it("an emptied box is refused with an accessible message, not computed as BMI 0", async () => {
    const { asked, compute } = recorder();
    render(<WhatIf probability={0.987} bmi={26.6} compute={compute} />);
    await typeBmi("");
    expect(asked).toEqual([]);
    expect(box().getAttribute("aria-invalid")).toBe("true");
    const message = document.getElementById(box().getAttribute("aria-describedby") ?? "");
    expect(message?.textContent).toBe("Enter a BMI from 15 to 50 kg/m². The slider stays at 26.6, the last BMI accepted.");
    expect(result()).toBe("");
  });

  it("a BMI the builder would ignore (8, 120) is refused as implausible, and the model is never asked", async () => {
    const { asked, compute } = recorder();
    render(<WhatIf probability={0.987} bmi={26.6} compute={compute} />);
    for (const typed of ["8", "120"]) {
      await typeBmi(typed);
      expect(screen.getByTestId("what-if-error").textContent).toContain(`A BMI of ${typed} is outside the plausible range (10 to 100 kg/m²)`);
      expect(result()).not.toMatch(/With BMI|already holds/);
    }
    // Typing "120" passes through "1" and "12", each refused too: nothing reached the model.
    expect(asked).toEqual([]);
  });

  it("a plausible BMI outside the control's 15 to 50 is refused", async () => {
    const { asked, compute } = recorder();
    render(<WhatIf probability={0.02} bmi={26.6} compute={compute} />);
    await typeBmi("12");
    // Said once, not twice (the range was in both sentences before); the slider keeps the recorded BMI.
    expect(screen.getByTestId("what-if-error").textContent).toBe(
      "A BMI of 12 is outside this what-if's range. Enter a BMI from 15 to 50 kg/m². The slider stays at 26.6, the last BMI accepted.",
    );
    expect(asked).toEqual([]);
  });

  it("an earlier answer does not stay beside a refused entry, and a valid entry clears the refusal", async () => {
    const { compute } = recorder();
    render(<WhatIf probability={0.057} bmi={34.2} compute={compute} />);
    await typeBmi("22");
    await screen.findByText(/With BMI 22\.0/);
    await typeBmi("");
    expect(result()).toBe("");
    await typeBmi("30");
    await screen.findByText(/With BMI 30\.0/);
    expect(box().getAttribute("aria-invalid")).toBe("false");
    expect(box().hasAttribute("aria-describedby")).toBe(false);
    expect(screen.getByTestId("what-if-error").textContent).toBe("");
  });
});

describe("WhatIf starts at the recorded BMI as printed", () => {
  it.each([
    [26.63, "26.6"],
    [30.94, "30.9"],
  ])("a latest BMI of %s starts the box and the slider at %s, as the hint prints it", (bmi, shown) => {
    render(<WhatIf probability={0.02} bmi={bmi} compute={recorder().compute} />);
    expect(screen.getByText(`Latest recorded BMI: ${shown}.`, { exact: false })).toBeTruthy();
    expect(box().value).toBe(shown);
    expect(slider().value).toBe(shown);
  });
});

describe("WhatIf and the record's own BMI", () => {
  it("says the record holds a BMI that day only when the computation found one, and then shows no risk 'with' the chosen BMI", async () => {
    const { compute } = recorder((bmi) => (bmi < 26.6 ? { usedBmi: 26.6, recordBmiThatDay: { bmi: 26.6, date: "2024-01-14" } } : {}));
    render(<WhatIf probability={0.05} bmi={26.6} compute={compute} />);
    await typeBmi("22");
    await screen.findByText(/already holds/);
    expect(result()).toBe(
      "A BMI of 22.0 cannot be tried on this record: it already holds a BMI of 26.6 on 2024-01-14, the day a what-if BMI is dated, and of two BMIs on one day the model uses the higher.",
    );
    await typeBmi("30");
    await screen.findByText(/With BMI 30\.0/);
    expect(result()).not.toContain("already holds");
  });

  it("never prints null for a patient without a BMI", async () => {
    render(<WhatIf probability={0.02} bmi={null} compute={recorder().compute} />);
    await typeBmi("22");
    await screen.findByText(/If a BMI of 22\.0 were recorded/);
    expect(screen.getByTestId("what-if").textContent).not.toContain("null");
    expect(result()).not.toContain("already holds");
  });
});

describe("WhatIf and clinical evidence", () => {
  it("says so when the model gives a lower BMI a higher risk, and only then", async () => {
    // Felix Sato in the second review: BMI 35.3 now at 23.3%, BMI 26.6 at 27.8%.
    const { compute } = recorder((bmi) => ({ probability: bmi < 35.3 ? 0.278 : 0.2 }));
    render(<WhatIf probability={0.233} bmi={35.3} compute={compute} />);
    await typeBmi("26.6");
    await screen.findByText(/With BMI 26.6: 27.8%/);
    expect(result()).toContain("This model gives a lower BMI a higher risk here");
    await typeBmi("40");
    await screen.findByText(/With BMI 40.0: 20.0%/);
    // A higher BMI with a lower risk runs against the evidence as well.
    expect(result()).toContain("against clinical evidence");
  });

  it("adds nothing when the two risks are written alike, a move under 0.05 points against the evidence included", async () => {
    // Fatima Khoury in the third review: 5.7% now at BMI 34.2; BMI 30 gave 5.68% (written 5.7%),
    // and the app said "0.0 percentage points" and "a higher risk" in one sentence; Grace Tanaka
    // the same at 1.0% (BMI 35.6, then 35).
    const { compute } = recorder(() => ({ probability: 0.0568 }));
    render(<WhatIf probability={0.0566} bmi={34.2} compute={compute} />);
    await typeBmi("30");
    await screen.findByText(/With BMI 30.0: 5.7%/);
    expect(result()).toContain("compared with 5.7% (High risk) now, the same as written.");
    expect(result()).not.toContain("against clinical evidence");
    cleanup();
    render(<WhatIf probability={0.0102} bmi={35.6} compute={recorder(() => ({ probability: 0.0104 })).compute} />);
    await typeBmi("35");
    await screen.findByText(/With BMI 35.0: 1.0%/);
    expect(result()).toContain("compared with 1.0% (Moderate risk) now, the same as written.");
    expect(result()).not.toContain("against clinical evidence");
  });

  it("adds nothing when the model moves with the evidence", async () => {
    const { compute } = recorder((bmi) => ({ probability: bmi < 35.3 ? 0.2 : 0.25 }));
    render(<WhatIf probability={0.233} bmi={35.3} compute={compute} />);
    await typeBmi("26.6");
    await screen.findByText(/With BMI 26.6: 20.0%/);
    expect(result()).not.toContain("against clinical evidence");
  });
});

describe("WhatIf's recorded BMI", () => {
  it("dates the latest recorded BMI, so an old one looks old", () => {
    render(<WhatIf probability={0.02} bmi={24.8} bmiDate="2020-10-24" compute={recorder().compute} />);
    expect(screen.getByTestId("what-if").textContent).toContain("Latest recorded BMI: 24.8 (2020-10-24).");
  });
});


describe("WhatIf states the change between the risks as written", () => {
  it("gives the difference of the two values as printed, with their one decimal", async () => {
    // 1.249% is printed 1.2% and 1.251% is 1.3%: +0.1 points as written (unrounded, +0.002).
    const { compute } = recorder(() => ({ probability: 0.01251 }));
    render(<WhatIf probability={0.01249} bmi={26.6} compute={compute} />);
    await typeBmi("30");
    await screen.findByText(/With BMI 30\.0/);
    expect(result()).toBe("With BMI 30.0: 1.3% (Moderate risk) compared with 1.2% (Moderate risk) now, 0.1 percentage points higher.");
  });

  it("states the difference the two values as written allow when one is written as a bound", async () => {
    // 0.96% is printed "<1.0%" beside Low (format-risk.ts): below 1.0, so more than 1.2 - 1.0 = 0.2 points lower.
    const { compute } = recorder(() => ({ probability: 0.0096 }));
    render(<WhatIf probability={0.0123} bmi={26.6} compute={compute} />);
    await typeBmi("24");
    await screen.findByText(/With BMI 24\.0/);
    expect(result()).toBe("With BMI 24.0: <1.0% (Low risk) compared with 1.2% (Moderate risk) now, more than 0.2 percentage points lower.");
  });

  it("says no change when the values as written are the same", async () => {
    const { compute } = recorder(() => ({ probability: 0.01241 }));
    render(<WhatIf probability={0.01239} bmi={26.6} compute={compute} />);
    await typeBmi("30");
    await screen.findByText(/With BMI 30\.0/);
    expect(result()).toBe("With BMI 30.0: 1.2% (Moderate risk) compared with 1.2% (Moderate risk) now, the same as written.");
  });
});
