/** What-if BMI: the risk recomputed as the slider moves, with the difference stated. */
import { type ChangeEvent, useId, useRef, useState } from "react";
import { SHORT_DISCLAIMER } from "../../shared/assess-risk.ts";
import { formatRisk } from "../../shared/format-risk.ts";
import { RISK_TIER_CONFIG, riskTier } from "../../shared/risk-tiers.ts";
import { runsAgainstEvidence, type WhatIfResult } from "../../shared/what-if-bmi.ts";
import { formatBmi, readWhatIfBmi, SLIDER_AT_REST, WHAT_IF_BMI, whatIfStart } from "../risk/what-if.ts";
import { differenceAsWritten, type WrittenDifference } from "../risk/written-change.ts";
import type { LoadedQuery } from "../data/load-record.ts";
import { IsoDate } from "./IsoDate.tsx";
import { queryProblem } from "./QueryStatus.tsx";

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
  // holds the last BMI that was accepted: a refused entry (12, below the slider's 15) is one the
  // slider cannot show, and the box keeps it for the clinician to correct, with the reason and the
  // slider's value in its message. Without a recorded BMI both start empty (null: no BMI chosen),
  // the slider's thumb hidden, until a BMI is accepted.
  const [text, setText] = useState(() => {
    const start = whatIfStart(bmi);
    return start === null ? "" : formatBmi(start);
  });
  const [value, setValue] = useState(() => whatIfStart(bmi));
  // An empty box at the start is no refused entry: only what the clinician typed is refused.
  const [edited, setEdited] = useState(false);
  const [answer, setAnswer] = useState<Answer>(null);
  // Only the latest request may answer, so a slow earlier one cannot overwrite a newer value.
  const latest = useRef(0);
  const entry = readWhatIfBmi(text);
  const refusal = edited && "refused" in entry ? refusalWithSlider(entry.message, value) : undefined;

  function change(e: ChangeEvent<HTMLInputElement>) {
    const next = readWhatIfBmi(e.target.value);
    setText(e.target.value);
    setEdited(true);
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
        <input
          id={`${id}-range`}
          type="range"
          value={value ?? SLIDER_AT_REST}
          {...(value === null && { className: "unset", "aria-valuetext": "No BMI chosen" })}
          {...bounds}
        />
        <label htmlFor={`${id}-number`} className="visually-hidden">
          BMI value
        </label>
        <input
          id={`${id}-number`}
          data-testid="what-if-bmi"
          type="number"
          value={text}
          {...(bmi === null && { placeholder: "BMI" })}
          aria-invalid={refusal !== undefined}
          {...(refusal !== undefined && { "aria-describedby": errorId })}
          {...bounds}
        />
      </div>
      <p id={errorId} className="field-error" aria-live="polite" data-testid="what-if-error">
        {refusal}
      </p>
      <p aria-live="polite" data-testid="what-if-result">
        {refusal === undefined && <AnswerText answer={answer} probability={probability} bmi={bmi} bmiUnknown={bmiUnread !== undefined} />}
      </p>
    </section>
  );
}

/** A refusal, and what the slider shows meanwhile: the last BMI accepted, which it keeps. */
function refusalWithSlider(message: string, accepted: number | null): string {
  return accepted === null ? message : `${message} The slider stays at ${formatBmi(accepted)}, the last BMI accepted.`;
}

const AGAINST_EVIDENCE =
  " This model gives a lower BMI a higher risk here (or a higher BMI a lower one), against clinical evidence, where excess" +
  " weight raises the risk of knee OA: it shows the limits of a model trained on synthetic data, and is not advice.";

const withTier = (p: number) => `${formatRisk(p)} (${RISK_TIER_CONFIG.labels[riskTier(p)]} risk)`;

/** The difference in plain words, stated in every case (shared wording: the numbers are the risks as written). */
function differenceText(difference: WrittenDifference): string {
  if (difference.direction === "same") return "the same as written";
  const bound = difference.bound === "exactly" ? "" : `${difference.bound} `;
  return `${bound}${difference.points.toFixed(1)} percentage points ${difference.direction}`;
}

function AnswerText({ answer, probability, bmi, bmiUnknown }: { answer: Answer; probability: number; bmi: number | null; bmiUnknown: boolean }) {
  if (answer === null) return bmi === null ? "Type a BMI or move the slider to see the risk if that BMI were recorded." : "Move the slider or type a BMI to see the risk recomputed.";
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
  // difference is that of the two risks as written, stated beside a bound ("<1.0%") too.
  const difference = differenceText(differenceAsWritten(probability, result.probability, formatRisk));
  // Without a BMI on record the chosen one is no change of the patient's BMI ("With BMI 22.0",
  // "lower", read as weight lost): it is a BMI that would be recorded.
  const lead = bmi === null ? `If a BMI of ${formatBmi(result.bmi)} were recorded` : `With BMI ${formatBmi(result.bmi)}`;
  const now = bmi === null && !bmiUnknown ? "now without one" : "now";
  const answerNow = `${lead}: ${withTier(result.probability)} compared with ${withTier(probability)} ${now}, ${difference}.`;
  // Said only where the risks as written show it: never beside "the same as written".
  const writtenApart = formatRisk(result.probability) !== formatRisk(probability);
  return writtenApart && runsAgainstEvidence(bmi, result, probability) ? answerNow + AGAINST_EVIDENCE : answerNow;
}
