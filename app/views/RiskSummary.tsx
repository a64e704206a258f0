/**
 * The risk now: the probability, its tier and the same-age-and-sex comparison, with the card's
 * caveats beside it (imaging, osteoarthritis without a stated joint, knee replacement, nothing the
 * model reads in the last year); or the
 * state in which no number may be shown (already diagnosed, the model does not apply, data missing).
 */
import { MODEL_DISCLAIMER } from "../../shared/assess-risk.ts";
import { baselineComparison } from "../../shared/baseline-comparison.ts";
import { DEFAULT_MIN_AGE_YEARS } from "../../shared/features/eligibility.ts";
import type { IneligibleReason } from "../../shared/features/types.ts";
import { isoDateAtPrecision } from "../../shared/fhir-dates.ts";
import { formatRisk } from "../../shared/format-risk.ts";
import { klGradeCaveat } from "../../shared/imaging/kl-caveat.ts";
import { kneeReplacedCaveat } from "../../shared/knee-replaced.ts";
import { oaSiteNotStatedCaveat } from "../../shared/oa-site-not-stated.ts";
import { oldBmi, oldBmiCaveat } from "../../shared/old-bmi.ts";
import { notCurrentCaveat } from "../../shared/record-currency.ts";
import { RISK_TIER_CONFIG } from "../../shared/risk-tiers.ts";
import { modelInputPartlyRead } from "../../shared/unavailable-data.ts";
import { bodyMeasuresUnread, type LoadedQuery } from "../data/load-record.ts";
import type { AsyncState } from "../hooks/use-async.ts";
import type { PatientAssessment } from "../risk/assess-patient.ts";
import { DatedText, IsoDate } from "./IsoDate.tsx";
import { DataCaveats, QueryStatus } from "./QueryStatus.tsx";

const NOT_APPLICABLE: Record<Exclude<IneligibleReason, "already_diagnosed">, string> = {
  born_after_index: "The record's birth date is after the date the risk is for.",
  // The feature builder's default, which the app's assessment uses.
  under_min_age: `The model applies to adults only: this patient is under the minimum age of ${DEFAULT_MIN_AGE_YEARS}.`,
  no_birth_date: "The record has no birth date, so the model's age input is unknown.",
  no_patient: "The record has no Patient resource, so age and sex are unknown.",
  deceased: "The record says the patient has died.",
};

type SummaryState = AsyncState<PatientAssessment | "missing-required">;

interface RiskSummaryProps {
  state: SummaryState;
  /** Required queries not loaded: no risk. */
  missing: readonly LoadedQuery[];
  /** Optional queries not loaded: a caveat beside the risk. */
  unavailable?: readonly LoadedQuery[];
}

export function RiskSummary({ state, missing, unavailable = [] }: RiskSummaryProps) {
  return (
    <section aria-labelledby="risk-heading" className="panel risk" data-testid="risk-summary">
      <h2 id="risk-heading">Knee osteoarthritis risk in the next year</h2>
      <RiskBody state={state} missing={missing} unavailable={unavailable} />
      <p className="disclaimer">{MODEL_DISCLAIMER}</p>
    </section>
  );
}

function RiskBody({ state, missing, unavailable }: RiskSummaryProps & { unavailable: readonly LoadedQuery[] }) {
  if (state.status === "pending") return <p role="status">Computing the risk...</p>;
  if (state.status === "failed") return <p role="alert">The risk could not be computed: {state.error.message}</p>;
  if (state.value === "missing-required") {
    return (
      <div data-testid="risk-state" data-state="missing-data">
        <p>No risk is shown: the model needs parts of the record that could not be read, and a risk from part of them could be wrong.</p>
        <QueryStatus queries={missing} />
      </div>
    );
  }
  const { result, baselineProbability, recentKneeOaGrade, oaSiteNotStated, kneeReplaced, recordNotCurrent } = state.value;
  const diagnosed = result.eligibility.alreadyDiagnosed;
  if (diagnosed !== undefined) {
    // As precisely as the record dates it: a diagnosis recorded as "2013" is not "on 2013-01-01".
    const firstDiagnosed = isoDateAtPrecision(diagnosed.date, diagnosed.precision);
    return (
      <p data-testid="risk-state" data-state="already-diagnosed">
        Knee osteoarthritis is already recorded (first {diagnosed.precision === "day" ? "on" : "in"} <IsoDate date={firstDiagnosed} />). The model
        predicts a first diagnosis, so no risk is shown.
      </p>
    );
  }
  if (result.probability === undefined || result.tier === undefined) {
    const reasons = result.eligibility.reasons.filter((r): r is Exclude<IneligibleReason, "already_diagnosed"> => r !== "already_diagnosed");
    return (
      <div data-testid="risk-state" data-state="not-applicable">
        <p>The model does not apply to this patient, so no risk is shown.</p>
        <ul>{reasons.map((r) => <li key={r}>{NOT_APPLICABLE[r]}</li>)}</ul>
      </div>
    );
  }
  const comparison =
    baselineProbability === undefined ? null : baselineComparison(result.probability, baselineProbability, result.features.demographics.sex);
  const { bmi, bmiDate } = result.features.demographics;
  const oldBmiFound = oldBmi(bmi, bmiDate, result.features.indexDate);
  return (
    <div data-testid="risk-state" data-state="risk">
      {/* elementtiming: the browser records when the risk is first painted (the Element Timing
          API), so that the launch's time to the risk on screen is measured in a browser nothing
          watches (bench/app.ts). On the paragraph: Chromium times text by its block, not a span. */}
      <p className="risk-now" elementtiming="risk-value">
        <span className="risk-value" data-testid="risk-value" data-probability={result.probability}>
          {formatRisk(result.probability)}
        </span>{" "}
        <span className={`tier tier-${result.tier}`} data-testid="risk-tier">
          {RISK_TIER_CONFIG.labels[result.tier]} risk
        </span>
      </p>
      {/* The card's sentence, from the card's rule: the risk of a diagnosis reads differently
          once a radiograph already shows knee OA. */}
      {recentKneeOaGrade && (
        <p data-testid="imaging-caveat">
          <DatedText text={klGradeCaveat(recentKneeOaGrade)} />
        </p>
      )}
      {oaSiteNotStated && (
        <p data-testid="oa-site-caveat">
          <DatedText text={oaSiteNotStatedCaveat(oaSiteNotStated)} />
        </p>
      )}
      {kneeReplaced && (
        <p data-testid="knee-replaced-caveat">
          <DatedText text={kneeReplacedCaveat(kneeReplaced)} />
        </p>
      )}
      <DataCaveats queries={unavailable} />
      {comparison !== null && <p data-testid="baseline">{comparison}</p>}
      {/* The card's data caveat, in its words: how current the record the model read is. */}
      {recordNotCurrent && (
        <p data-testid="not-current-caveat">
          <DatedText text={notCurrentCaveat(recordNotCurrent, result.features.indexDate, modelInputPartlyRead(unavailable))} />
        </p>
      )}
      {result.eligibility.warnings.includes("short_history") && <p>Less than a year of history: the estimate rests on little data.</p>}
      {/* The card's data caveat, in its words: the one input from before the model's history. */}
      {oldBmiFound && (
        <p data-testid="old-bmi-caveat">
          <DatedText text={oldBmiCaveat(oldBmiFound)} />
        </p>
      )}
      {/* Unread body measures are among the caveats above: the BMI is then not known, not absent. */}
      {result.eligibility.warnings.includes("no_bmi") && bodyMeasuresUnread(unavailable) === undefined && <p>No BMI is recorded: the estimate does not know the patient's weight.</p>}
    </div>
  );
}
