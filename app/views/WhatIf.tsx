/** What-if BMI: the risk recomputed as the slider moves, with the difference stated. */
import { type ChangeEvent, useId, useRef, useState } from "react";
import { formatRisk } from "../../shared/format-risk.ts";
import type { WhatIfResult } from "../risk/what-if.ts";
import { WHAT_IF_BMI } from "../risk/what-if.ts";
import { formatPoints } from "./Reasons.tsx";

export interface WhatIfProps {
  probability: number;
  bmi: number | null;
  compute: (bmi: number) => Promise<WhatIfResult>;
}

export function WhatIf({ probability, bmi, compute }: WhatIfProps) {
  const id = useId();
  const start = bmi === null ? 25 : Math.min(WHAT_IF_BMI.max, Math.max(WHAT_IF_BMI.min, Math.round(bmi * 2) / 2));
  const [value, setValue] = useState(start);
  const [answer, setAnswer] = useState<WhatIfResult | null>(null);
  // Only the latest request may answer, so a slow earlier one cannot overwrite a newer value.
  const latest = useRef(0);

  function change(next: number) {
    if (!Number.isFinite(next)) return;
    setValue(next);
    const request = ++latest.current;
    compute(next).then(
      (result) => request === latest.current && setAnswer(result),
      () => request === latest.current && setAnswer(null),
    );
  }

  // The slider and the number field are two views of one value.
  const bounds = {
    min: WHAT_IF_BMI.min,
    max: WHAT_IF_BMI.max,
    step: WHAT_IF_BMI.step,
    value,
    onChange: (e: ChangeEvent<HTMLInputElement>) => change(Number(e.target.value)),
  };

  return (
    <section aria-labelledby="what-if-heading" className="panel" data-testid="what-if">
      <h2 id="what-if-heading">What if the BMI were different?</h2>
      <p className="hint">
        BMI is the one input of this model a patient can change (age and sex cannot; past diagnoses and prescriptions are history).
        {bmi === null ? " No BMI is recorded now." : ` Latest recorded BMI: ${bmi.toFixed(1)}.`}
      </p>
      <div className="what-if-controls">
        <label htmlFor={`${id}-range`}>BMI (kg/m²)</label>
        <input id={`${id}-range`} type="range" {...bounds} />
        <label htmlFor={`${id}-number`} className="visually-hidden">
          BMI value
        </label>
        <input id={`${id}-number`} data-testid="what-if-bmi" type="number" {...bounds} />
      </div>
      <p aria-live="polite" data-testid="what-if-result">
        {answer === null
          ? "Move the slider or type a BMI to see the risk recomputed."
          : answer.probability === undefined
            ? "The model does not apply to this patient."
            : `With BMI ${answer.bmi.toFixed(1)}: ${formatRisk(answer.probability)}, ${formatPoints(answer.probability - probability)} percentage points from ${formatRisk(probability)} now.`}
        {answer !== null && answer.usedBmi !== answer.bmi && ` (The record already holds a BMI of ${answer.usedBmi} on that day, which the model used.)`}
      </p>
    </section>
  );
}
