/** The counts behind summary.html, gathered in one pass over the stored patients. */
import type { FeatureWarning, IneligibleReason } from "../../../shared/features/types.ts";
import { dayToIsoDate, parseFhirDay } from "../../../shared/fhir-dates.ts";
import { CURRENT_RECORD_DAYS, isCurrentRecord } from "../../../shared/record-currency.ts";
import { RISK_TIER_CONFIG, type RiskTier } from "../../../shared/risk-tiers.ts";
import type { ScoredPatient } from "../scored-patient.ts";
import { KNEE_OA_AFTER_INDEX_WORDS } from "./warning-words.ts";

/** Upper edges of the histogram's bins (the last bin runs to 100%); the tier thresholds are edges,
 * so each bar is in one tier. */
export const HISTOGRAM_EDGES: readonly number[] = [
  0.0025,
  0.005,
  RISK_TIER_CONFIG.thresholds.moderate,
  0.02,
  RISK_TIER_CONFIG.thresholds.high,
  0.1,
  0.2,
];

/** Reasons a patient has no age at the index date (not yet born, or died before it): the age and
 * sex table counts them under the reason, not in the band of an age they did not have then. */
export const NO_AGE_AT_INDEX: readonly IneligibleReason[] = ["born_after_index", "deceased"];

/** The age and sex table's row of a patient: the reason they have no age at the index date, else
 * their age band, else "unknown". */
function ageSexRow(patient: ScoredPatient): string {
  return NO_AGE_AT_INDEX.find((reason) => patient.ineligible.includes(reason)) ?? patient.ageBand ?? "unknown";
}

export interface AgeSexCell {
  patients: number;
  scored: number;
  high: number;
  riskSum: number;
}

/** More than this share of the scored patients with nothing in their record in the
 * CURRENT_RECORD_DAYS before the index date makes the run warn (population/README.md, "How
 * current the data is", says why one half). */
export const NOT_CURRENT_WARNING_SHARE = 0.5;

/** More days than this from the index date to the latest record in the data make the run warn that
 * the data run past the index date (population/README.md, "How current the data is"): a month of
 * records after it is a run for a past date, not a visit planned for next week. */
export const DATA_PAST_INDEX_WARNING_DAYS = 30;

export class PopulationTally {
  /** The latest day any record was written to (YYYY-MM-DD), or null when none is known. */
  latestRecord: string | null = null;
  /** The same, of records before the index date: how far the data reaches towards it (a visit
   * planned for after it, or a wrong date, says nothing of that). */
  latestRecordBeforeIndex: string | null = null;
  /** Patients whose record has nothing in the CURRENT_RECORD_DAYS before the index date (nothing
   * dated before it at all included: a record that starts after the index date, or has no dates):
   * the card's and the app's rule (shared/record-currency.ts). */
  notCurrent = 0;
  /** The scored ones among them. */
  notCurrentScored = 0;
  patients = 0;
  scored = 0;
  listed = 0;
  /** Scored patients at or above the list's threshold, of whom `--top` may list fewer (set with
   * `listed`, as the list is written). */
  atOrAboveThreshold = 0;
  explained = 0;
  withoutPatientResource = 0;
  notScored: Record<string, number> = {};
  tiers: Record<RiskTier, number> = { low: 0, moderate: 0, high: 0 };
  histogram: number[] = new Array<number>(HISTOGRAM_EDGES.length + 1).fill(0);
  ageSex: Record<string, Record<string, AgeSexCell>> = {};
  warnings: Partial<Record<FeatureWarning, number>> = {};
  /** Scored patients with a knee graded Kellgren-Lawrence 2 or more by the imaging AI. */
  recentKneeOaGrade = 0;
  /** Scored patients with osteoarthritis without a stated joint on record. */
  oaSiteNotStated = 0;
  /** Scored patients with a knee replacement on record. */
  kneeReplaced = 0;
  /** Scored patients whose BMI the model used is older than the history it reads. */
  oldBmi = 0;
  /** Scored patients with a knee OA diagnosis on record after the index date. */
  kneeOaAfterIndex = 0;
  /** The listed ones among them (set with `listed`, as the list is written). */
  listedKneeOaAfterIndex = 0;

  private readonly indexDate: string;
  private readonly indexDay: number;

  /** `indexDate`: the run's (YYYY-MM-DD). */
  constructor(indexDate: string) {
    this.indexDate = indexDate;
    this.indexDay = parseFhirDay(indexDate)!;
  }

  /** Days from the latest record before the index date to it, when the data as a whole is not
   * current by the card's rule (more than a year): the risks are then for a year the data does not
   * reach (the default index date is today). */
  staleDataDays(): number | null {
    const latest = parseFhirDay(this.latestRecordBeforeIndex);
    return latest === null || isCurrentRecord(latest, this.indexDay) ? null : this.indexDay - latest;
  }

  /** The index date to run again with for a list of the year after the data: the day after the
   * latest record in the data (YYYY-MM-DD), or null when nothing is dated. */
  suggestedIndexDate(): string | null {
    const latest = parseFhirDay(this.latestRecord);
    return latest === null ? null : dayToIsoDate(latest + 1);
  }

  /** What to run again with, when the data end before the index date: "--index-date X, the day
   * after the latest record in the data (Y)"; null when they do not. */
  private indexDateAdvice(): string | null {
    const suggested = this.suggestedIndexDate();
    if (suggested === null || this.latestRecord! >= this.indexDate) return null;
    return `run again with --index-date ${suggested}, the day after the latest record in the data (${this.latestRecord!})`;
  }

  /** Days from the index date to the latest record in the data, when the data run past it by more
   * than DATA_PAST_INDEX_WARNING_DAYS or a listed patient has a knee OA diagnosis on record after
   * it; else null. */
  daysPastIndex(): number | null {
    const latest = parseFhirDay(this.latestRecord);
    if (latest === null || latest < this.indexDay) return null;
    const days = latest - this.indexDay;
    return days > DATA_PAST_INDEX_WARNING_DAYS || this.listedKneeOaAfterIndex > 0 ? days : null;
  }

  /**
   * The warning for data that run past the index date (a run for a past date): the risks are
   * right for checking the model against what followed, but some listed patients may have been
   * diagnosed since, as the data show. `list`: the list's name (selection.ts listName). Null when
   * daysPastIndex is.
   */
  dataPastIndexWarning(list: string): string | null {
    const days = this.daysPastIndex();
    if (days === null) return null;
    const n = this.listedKneeOaAfterIndex;
    const diagnosed =
      n === 0
        ? `None of the ${this.listed.toLocaleString("en-US")} patients in the ${list} has a knee OA diagnosis on record after the index date.`
        : `${n.toLocaleString("en-US")} of the ${this.listed.toLocaleString("en-US")} patients in the ${list} ${n === 1 ? "has" : "have"} a knee OA diagnosis on record after the index date, ` +
          `flagged in high-risk.csv (data_quality "${KNEE_OA_AFTER_INDEX_WORDS}"): ${n === 1 ? "that patient is" : "they are"} already diagnosed.`;
    const suggested = this.suggestedIndexDate()!;
    return (
      `The data run to ${this.latestRecord!}, ${days.toLocaleString("en-US")} ${days === 1 ? "day" : "days"} past the index date, ${this.indexDate}: ` +
      "the risks are from what the records held before the index date, right for checking the model against what followed, not for a list to act on now. " +
      `${diagnosed} For a list to act on, run again with --index-date ${suggested}, the day after the latest record in the data.`
    );
  }

  /** The warning for data whose latest record before the index date is more than a year before
   * it (staleDataDays), or null. */
  staleDataWarning(): string | null {
    const days = this.staleDataDays();
    if (days === null) return null;
    const advice = this.indexDateAdvice() ?? "run again with an --index-date the data reaches";
    return (
      `The risks are for the year from ${this.indexDate}, but the latest record before it in the data is from ${this.latestRecordBeforeIndex!}, ` +
      `${days.toLocaleString("en-US")} days earlier: nothing in the data covers the year before the index date. ${advice.charAt(0).toUpperCase()}${advice.slice(1)}.`
    );
  }

  /**
   * The warning for a population most of whose scored patients have nothing in their record in
   * the year before the index date, or null. staleDataDays looks at the latest record of the
   * whole population only: one patient seen last month hid 426 of 600 with nothing in that year
   * (the default index date, a year past the data's end). Null too when the data as a whole is
   * stale: staleDataDays' warning says more, and every patient is then not current.
   */
  notCurrentWarning(): string | null {
    if (this.scored === 0 || this.staleDataDays() !== null) return null;
    const share = this.notCurrentScored / this.scored;
    if (share <= NOT_CURRENT_WARNING_SHARE) return null;
    const advice = this.indexDateAdvice();
    return (
      `${this.notCurrentScored.toLocaleString("en-US")} of the ${this.scored.toLocaleString("en-US")} scored patients (${(share * 100).toFixed(1)}%) ` +
      `have nothing the model reads dated in the ${CURRENT_RECORD_DAYS} days before the index date, ${this.indexDate}: ` +
      "their risks are for a year that follows one in which the data says nothing of them. " +
      (advice === null
        ? "The data run to the index date: check that the input holds these patients' recent records."
        : `The data end before the index date: ${advice}.`)
    );
  }

  add(patient: ScoredPatient): void {
    // A patient id known only from references (a Condition pointing at a Patient not in the
    // input): counted apart, never as a patient (the review: 3,001 patients for 3,000 Patients).
    // Such a record is never scored (no_patient), and has no age or sex to tally.
    if (!patient.hasPatient) {
      this.withoutPatientResource += 1;
      return;
    }
    this.patients += 1;
    this.latestRecord = later(this.latestRecord, patient.lastRecord);
    this.latestRecordBeforeIndex = later(this.latestRecordBeforeIndex, patient.lastRecordBeforeIndex);
    const current = isCurrentRecord(parseFhirDay(patient.lastRecordBeforeIndex), this.indexDay);
    if (!current) this.notCurrent += 1;
    for (const reason of patient.ineligible) add(this.notScored, reason);
    const cell = ((this.ageSex[ageSexRow(patient)] ??= {})[patient.sex] ??= { patients: 0, scored: 0, high: 0, riskSum: 0 });
    cell.patients += 1;
    if (patient.probability === null || patient.tier === null) return;
    this.scored += 1;
    if (!current) this.notCurrentScored += 1;
    if (patient.reasons !== null) this.explained += 1;
    for (const warning of patient.warnings) add(this.warnings, warning);
    if (patient.recentKneeOaGrade !== null) this.recentKneeOaGrade += 1;
    if (patient.oaSiteNotStated !== null) this.oaSiteNotStated += 1;
    if (patient.kneeReplaced !== null) this.kneeReplaced += 1;
    if (patient.oldBmi !== null) this.oldBmi += 1;
    if (patient.kneeOaAfterIndex !== null) this.kneeOaAfterIndex += 1;
    this.tiers[patient.tier] += 1;
    const bin = HISTOGRAM_EDGES.findIndex((edge) => patient.probability! < edge);
    this.histogram[bin === -1 ? HISTOGRAM_EDGES.length : bin]! += 1;
    cell.scored += 1;
    cell.riskSum += patient.probability;
    if (patient.tier === "high") cell.high += 1;
  }
}

/** The later of two days (YYYY-MM-DD, compared as text), either possibly unknown. */
function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  return b !== null && b > a ? b : a;
}

function add<K extends string>(counts: Partial<Record<K, number>>, key: K, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}
