/**
 * The what-if control: its range, its first value, and how a typed value is read (the risk for
 * a BMI is shared/what-if-bmi.ts). A typed value is read here (readWhatIfBmi), not in the
 * component: an empty box, a value that is not a number, one the feature builder would throw
 * out as implausible (it would then silently use the record's own BMI and the "what-if" would be
 * the risk now), or one outside the control's range is refused and no risk is computed for it.
 */
import { PLAUSIBLE_BMI } from "../../shared/features/body-mass.ts";

/** The control's range, inside the feature builder's plausible BMI range (PLAUSIBLE_BMI); the step
 * is one decimal, as the app prints a BMI, so the control can hold the recorded BMI exactly. */
export const WHAT_IF_BMI = { min: 15, max: 50, step: 0.1 } as const;

/** Where the slider's thumb rests, hidden, while no BMI is chosen (the record holds none and
 * none has been accepted yet): at the range's start, so that the track shows no filled part
 * either; never shown as a value, since any number there would read as the patient's BMI. */
export const SLIDER_AT_REST = WHAT_IF_BMI.min;

/** A BMI as the app prints it. */
export function formatBmi(bmi: number): string {
  return bmi.toFixed(1);
}

/** The control's first value: the latest recorded BMI as the app prints it, so that the first
 * what-if is the BMI the risk now was computed with (held inside the control's range); null, an
 * empty box, when the record holds no BMI (or it is not known): a made-up starting BMI right
 * under "No BMI is recorded" reads as the patient's. */
export function whatIfStart(bmi: number | null): number | null {
  if (bmi === null) return null;
  return Math.min(WHAT_IF_BMI.max, Math.max(WHAT_IF_BMI.min, Number(formatBmi(bmi))));
}

export type WhatIfRefusal = "empty" | "not-a-number" | "implausible" | "outside-control";

export type WhatIfEntry = { bmi: number } | { refused: WhatIfRefusal; message: string };

/** A decimal number as an <input type="number"> accepts it (no hex, no "Infinity", no spaces inside). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function refusalOf(bmi: number): WhatIfRefusal | undefined {
  if (!Number.isFinite(bmi)) return "not-a-number";
  if (bmi < PLAUSIBLE_BMI.min || bmi > PLAUSIBLE_BMI.max) return "implausible";
  if (bmi < WHAT_IF_BMI.min || bmi > WHAT_IF_BMI.max) return "outside-control";
  return undefined;
}

function refusalMessage(refusal: WhatIfRefusal, typed: string): string {
  const ask = `Enter a BMI from ${WHAT_IF_BMI.min} to ${WHAT_IF_BMI.max} kg/m².`;
  switch (refusal) {
    case "empty":
      return ask;
    case "not-a-number":
      return `"${typed}" is not a number. ${ask}`;
    case "implausible":
      return `A BMI of ${typed} is outside the plausible range (${PLAUSIBLE_BMI.min} to ${PLAUSIBLE_BMI.max} kg/m²): the model ignores such a value as a typing error. ${ask}`;
    case "outside-control":
      return `A BMI of ${typed} is outside this what-if's range. ${ask}`;
  }
}

/** The BMI in the control's text, at the control's step as the app prints it (the risk is then
 * computed for the BMI the answer names: 34.25 is 34.3), or why it is refused. (Number("") is 0,
 * so the text is read here.) */
export function readWhatIfBmi(text: string): WhatIfEntry {
  const typed = text.trim();
  if (typed === "") return { refused: "empty", message: refusalMessage("empty", typed) };
  const bmi = DECIMAL.test(typed) ? Number(typed) : Number.NaN;
  const refused = refusalOf(bmi);
  return refused === undefined ? { bmi: Number(formatBmi(bmi)) } : { refused, message: refusalMessage(refused, typed) };
}
