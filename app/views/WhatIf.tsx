/** What-if BMI: the risk recomputed as the slider moves, with the difference stated. */
import { type ChangeEvent, useId, useRef, useState } from "react";
import { SHORT_DISCLAIMER } from "../../shared/assess-risk.ts";
import { formatRisk } from "../../shared/format-risk.ts";
import { RISK_TIER_CONFIG, riskTier } from "../../shared/risk-tiers.ts";
import { runsAgainstEvidence, type WhatIfResult } from "../../shared/what-if-bmi.ts";
import { formatBmi, readWhatIfBmi, WHAT_IF_BMI, whatIfStart } from "../risk/what-if.ts";
import { changeAsWritten } from "../risk/written-change.ts";
import type { LoadedQuery } from "../data/load-record.ts";
import { IsoDate } from "./IsoDate.tsx";
import { queryProblem } from "./QueryStatus.tsx";
import { formatPoints } from "./Reasons.tsx";

export interface WhatIfProps {
  probability: number;
  bmi: number | null;
  /** When that BMI was measured (an old one should look old). */
  bmiDate?: string;
  /** The body-measure query when it could not be read: a BMI of null is then not known, not absent. */
  bmiUnread?: LoadedQuery;
  compute: (bmi: number) => Promise<WhatIfResult>;
}

type Answer = { result: WhatIfResult } | "failed" | null;

export function WhatIf({ probability, bmi, bmiDate, bmiUnread, compute }: WhatIfProps) {
  const id = useId();
  const errorId = `${id}-error`;
  // The box holds the text as typed (an empty or half-typed value is not a number); the slider
  // holds the last BMI that was accepted.
  const [text, setText] = useState(() => formatBmi(whatIfStart(bmi)));
  const [value, setValue] = useState(() => whatIfStart(bmi));
  const [answer, setAnswer] = useState<Answer>(null);
  // Only the latest request may answer, so a slow earlier one cannot overwrite a newer value.
  const latest = useRef(0);
  const entry = readWhatIfBmi(text);
  const refusal = "refused" in entry ? entry.message : undefined;

  function change(e: ChangeEvent<HTMLInputElement>) {
    const next = readWhatIfBmi(e.target.value);
    setText(e.target.value);
    const request = ++latest.current;
    if ("refused" in next) {
      // Nothing is computed for a refused value, and an earlier answer must not stand beside it.
      setAnswer(null);
      return;
    }
    setValue(next.bmi);
    compute(next.bmi).then(
      (result) => request === latest.current && setAnswer({ result }),
      () => request === latest.current && setAnswer("failed"),
    );
  }

  const bounds = { min: WHAT_IF_BMI.min, max: WHAT_IF_BMI.max, step: WHAT_IF_BMI.step, onChange: change };

  return (
    <section aria-labelledby="what-if-heading" className="panel" data-testid="what-if">
      <h2 id="what-if-heading">What if the BMI were different?</h2>
      <p className="hint">
        BMI is the one input of this model a patient can change (age and sex cannot; past diagnoses and prescriptions are history).
        {bmi === null ? (bmiUnread === undefined ? " No BMI is recorded now." : ` The BMI on record is not known. ${queryProblem(bmiUnread)}`) : <> Latest recorded BMI: {formatBmi(bmi)}{bmiDate !== undefined && <> (<IsoDate date={bmiDate} />)</>}.</>}{" "}
        {SHORT_DISCLAIMER}.
      </p>
      <div className="what-if-controls">
        <label htmlFor={`${id}-range`}>BMI (kg/m²)</label>
        <input id={`${id}-range`} type="range" value={value} {...bounds} />
        <label htmlFor={`${id}-number`} className="visually-hidden">
          BMI value
        </label>
        <input
          id={`${id}-number`}
          data-testid="what-if-bmi"
          type="number"
          value={text}
          aria-invalid={refusal !== undefined}
          {...(refusal !== undefined && { "aria-describedby": errorId })}
          {...bounds}
        />
      </div>
      <p id={errorId} className="field-error" aria-live="polite" data-testid="what-if-error">
        {refusal}
      </p>
      <p aria-live="polite" data-testid="what-if-result">
        {refusal === undefined && <AnswerText answer={answer} probability={probability} bmi={bmi} />}
      </p>
    </section>
  );
}

const AGAINST_EVIDENCE =
  " This model gives a lower BMI a higher risk here (or a higher BMI a lower one), against clinical evidence, where excess" +
  " weight raises the risk of knee OA: it shows the limits of a model trained on synthetic data, and is not advice.";

const withTier = (p: number) => `${formatRisk(p)} (${RISK_TIER_CONFIG.labels[riskTier(p)]} risk)`;

function AnswerText({ answer, probability, bmi }: { answer: Answer; probability: number; bmi: number | null }) {
  if (answer === null) return "Move the slider or type a BMI to see the risk recomputed.";
  if (answer === "failed") return "The what-if could not be computed.";
  const { result } = answer;
  if (result.recordBmiThatDay !== undefined) {
    const held = result.recordBmiThatDay;
    return (
      <>
        A BMI of {formatBmi(result.bmi)} cannot be tried on this record: it already holds a BMI of {formatBmi(held.bmi)} on{" "}
        <IsoDate date={held.date} />, the day a what-if BMI is dated, and of two BMIs on one day the model uses the higher.
      </>
    );
  }
  if (result.probability === undefined) return "The model does not apply to this patient.";
  // Each number with its tier: a what-if across a tier bound must not read as the same tier. The
  // points are the difference of the two risks as written, none beside a bound ("<1.0%").
  const change = changeAsWritten(probability, result.probability, formatRisk);
  const comparison = change === null ? "against" : `${formatPoints(change)} percentage points from`;
  const answerNow = `With BMI ${formatBmi(result.bmi)}: ${withTier(result.probability)}, ${comparison} ${withTier(probability)} now.`;
  // Said only where the risks as written show it: never beside "0.0 percentage points", nor
  // between two risks both written "<1.0%".
  const writtenApart = formatRisk(result.probability) !== formatRisk(probability);
  return writtenApart && runsAgainstEvidence(bmi, result, probability) ? answerNow + AGAINST_EVIDENCE : answerNow;
}
