/**
 * Turns one patient's risk result into the CDS Hooks 2.0 response (pure: the uuid, dates and
 * URLs come in as options). Rules: no card when the patient is ineligible or already
 * diagnosed, or below the minimum tier without an imaging finding (cardReason); otherwise one card
 * whose optional fields are omitted rather than null, "" or [].
 */
import { MODEL_DISCLAIMER, SHORT_DISCLAIMER } from "../../shared/assess-risk.ts";
import { baselineComparison } from "../../shared/baseline-comparison.ts";
import { formatRisk } from "../../shared/format-risk.ts";
import type { FeatureWarning, Sex } from "../../shared/features/types.ts";
import { klGradeCaveat } from "../../shared/imaging/kl-caveat.ts";
import type { RecentKneeOaGrade } from "../../shared/imaging/recent-kl.ts";
import type { RiskDriver } from "../../shared/inference/explain.ts";
import { kneeReplacedCaveat, type KneeReplaced } from "../../shared/knee-replaced.ts";
import { obeseBmiLowersEstimate } from "../../shared/obesity.ts";
import { oaSiteNotStatedCaveat, type OaSiteNotStated } from "../../shared/oa-site-not-stated.ts";
import { oldBmi, oldBmiCaveat } from "../../shared/old-bmi.ts";
import { notCurrentCaveat, type NotCurrent } from "../../shared/record-currency.ts";
import { RISK_TIER_CONFIG, RISK_TIERS, type RiskTier } from "../../shared/risk-tiers.ts";
import { DRIVERS_CAVEAT, DRIVERS_NOT_ADDITIVE, driverWords, effectPoints, shownDrivers } from "../../shared/shown-drivers.ts";
import { modelInputPartlyRead, unavailableDataCaveat, type UnreadPart } from "../../shared/unavailable-data.ts";
import type { CdsCard, CdsLink } from "./card-types.ts";
import { OVERRIDE_REASONS } from "./override-reasons.ts";
import { riskSuggestions } from "./suggestions.ts";

/** What the card needs to know about the estimate. */
export interface CardRisk {
  patientId: string;
  probability: number;
  tier: RiskTier;
  /** Largest absolute effect first. */
  drivers: readonly RiskDriver[];
  warnings: readonly FeatureWarning[];
  bmi: number | null;
  /** YYYY-MM-DD of the BMI the model used (features.demographics.bmiDate). */
  bmiDate?: string;
  historyYears: number;
  sex: Sex;
  /** The risk of people of the same age and sex (the age/sex baseline model); null when that
   * model failed (the card goes out without the comparison). */
  baselineProbability: number | null;
  /** A recent imaging AI KL grade of 2 or more (shared/imaging/recent-kl.ts), if any. */
  recentKneeOaGrade?: RecentKneeOaGrade | null;
  /** An osteoarthritis Condition without a stated joint before the index date (shared/oa-site-not-stated.ts), if any. */
  oaSiteNotStated?: OaSiteNotStated | null;
  /** A knee replacement on record before the index date (shared/knee-replaced.ts), if any. */
  kneeReplaced?: KneeReplaced | null;
  /** Nothing the model reads dated in the 365 days before the index date (shared/record-currency.ts), if so. */
  recordNotCurrent?: NotCurrent | null;
}

export interface CardOptions {
  cardUuid: string;
  /** YYYY-MM-DD. */
  indexDate: string;
  modelName: string;
  modelVersion: string;
  modelCardUrl: string;
  appLaunchUrl: string;
  /** For EHRs that drop appContext: repeat it in the launch URL (EhrQuirks). */
  appContextInLaunchUrl: boolean;
  /** Labels of optional data the EHR could not supply. */
  unavailableData: readonly UnreadPart[];
  /** Records the EHR sent that do not provably name this patient, set aside (shared/patient-compartment.ts). */
  foreignRecordsDropped?: number;
  /** How many drivers the detail lists. Default 4. */
  maxDrivers?: number;
  /** The configured minimum tier, when the card is shown below it for its imaging finding
   * (cardReason): the detail says why a card came at all. */
  shownBelowMinimumTier?: RiskTier;
}

/** Whether a tier is at or above the minimum tier of cards (cards.minTier). */
export function meetsMinimumTier(tier: RiskTier, minTier: RiskTier): boolean {
  return RISK_TIERS.indexOf(tier) >= RISK_TIERS.indexOf(minTier);
}

/**
 * Why a patient with an estimate gets a card, or null for none: the tier meets the minimum
 * ("tier"), or an imaging AI KL grade of 2 or more is on record ("imaging finding",
 * shared/imaging/recent-kl.ts). That radiograph already shows knee OA which the record does not
 * code (the patient has an estimate, so no diagnosis): a Low number alone would leave it unsaid,
 * and it is the one finding on the card a clinician can act on whatever the tier. The population
 * job lists the same patients (population/README.md, imaging-knee-oa.csv).
 */
export function cardReason(tier: RiskTier, minTier: RiskTier, recentKneeOaGrade: RecentKneeOaGrade | null | undefined): "tier" | "imaging finding" | null {
  if (meetsMinimumTier(tier, minTier)) return "tier";
  return recentKneeOaGrade != null ? "imaging finding" : null;
}

// The card and the SMART app write a probability the same way (shared/format-risk.ts).
export { formatRisk };

/** "**Name** what the record shows — raises the estimate by N percentage points": the name and
 * detail as the app and the population list write them (shared driverWords), and the change after
 * a dash, so no verb has to agree with a name ("Oral NSAIDs", "Knee pain and other knee disorders"). */
function driverLines(drivers: readonly RiskDriver[], max: number): string[] {
  return drivers.slice(0, max).map((d) => {
    const { name, rest } = driverWords(d);
    const direction = d.effect > 0 ? "raises" : "lowers";
    return `- **${name}**${rest} — ${direction} the estimate by ${effectPoints(d.effect)} percentage points`;
  });
}

/** A short history (under a year: the short_history warning) in whole months, counted down, so
 * 11.9 months is not written as a year; "0.0 of the 3 years" would read as a figure. */
function shortHistoryCaveat(years: number): string {
  const months = Math.floor(years * 12);
  const expected = "of the 3 years of history the model expects";
  if (years <= 0) return `None ${expected} is on record.`;
  if (months < 1) return `Less than a month ${expected} is on record.`;
  return `Only ${months} month${months === 1 ? "" : "s"} ${expected} ${months === 1 ? "is" : "are"} on record.`;
}

function caveatLines(risk: CardRisk, options: CardOptions): string[] {
  const unavailable = options.unavailableData;
  const lines: string[] = [];
  // When the body measures could not be read, the record's BMI is not known to be missing: the
  // unavailable-data line below says why it was not used.
  if (risk.warnings.includes("no_bmi") && !unavailable.some((part) => part.query.key === "bodyMeasures")) lines.push("- No BMI on record: the estimate is made without it.");
  if (risk.warnings.includes("short_history")) lines.push(`- ${shortHistoryCaveat(risk.historyYears)}`);
  // The app says the same sentence under the risk (shared/old-bmi.ts).
  const old = oldBmi(risk.bmi, risk.bmiDate, options.indexDate);
  if (old !== null) lines.push(`- ${oldBmiCaveat(old)}`);
  // The app says the same sentence under the risk (shared/record-currency.ts).
  if (risk.recordNotCurrent) lines.push(`- ${notCurrentCaveat(risk.recordNotCurrent, options.indexDate, modelInputPartlyRead(unavailable))}`);
  // The app's risk summary says the same sentence (shared/unavailable-data.ts).
  for (const part of unavailable) lines.push(`- ${unavailableDataCaveat(part)}`);
  // Set aside, they leave the estimate without what the EHR meant to send, which only the log said.
  const foreign = options.foreignRecordsDropped ?? 0;
  if (foreign > 0) {
    const records = foreign === 1 ? "1 record that does" : `${foreign} records that do`;
    lines.push(`- The EHR sent ${records} not name this patient (another patient, or no patient reference): left out of this estimate.`);
  }
  return lines;
}

function detailMarkdown(risk: CardRisk, options: CardOptions): string {
  const tierLabel = RISK_TIER_CONFIG.labels[risk.tier];
  // The same drivers, with the same numbers, as the app's reasons (shared/shown-drivers.ts).
  const drivers = driverLines(shownDrivers(risk.drivers, { bmiMissing: risk.bmi === null }), options.maxDrivers ?? 4);
  const caveats = caveatLines(risk, options);
  const parts = [
    `**Estimated risk of a knee osteoarthritis diagnosis within 1 year: ${formatRisk(risk.probability)} (${tierLabel} tier).**`,
  ];
  // The tier is absolute: a Moderate risk may be no more than the patient's age and sex carry.
  const comparison = risk.baselineProbability === null ? null : baselineComparison(risk.probability, risk.baselineProbability, risk.sex);
  if (comparison !== null) parts.push(comparison);
  // The app's risk summary says the same sentence beside the risk (shared/imaging/kl-caveat.ts).
  if (risk.recentKneeOaGrade) parts.push(klGradeCaveat(risk.recentKneeOaGrade));
  if (options.shownBelowMinimumTier !== undefined) {
    parts.push(`This card is shown for the imaging finding: the risk alone is below the ${RISK_TIER_CONFIG.labels[options.shownBelowMinimumTier]} tier, from which cards are shown.`);
  }
  if (risk.oaSiteNotStated) parts.push(oaSiteNotStatedCaveat(risk.oaSiteNotStated));
  if (risk.kneeReplaced) parts.push(kneeReplacedCaveat(risk.kneeReplaced));
  // Under the list, as the app's reasons say it: a driver against clinical knowledge is the model's.
  if (drivers.length > 0) {
    parts.push(`Main drivers (change when the factor is set to a neutral reference):\n\n${drivers.join("\n")}`, `${DRIVERS_NOT_ADDITIVE} ${DRIVERS_CAVEAT}`);
  }
  // The card suggests weight management from the BMI alone (suggestions.ts): where the model
  // runs the other way, the card says on what the suggestion rests.
  const bmiNote = obeseBmiLowersEstimate(risk.drivers, risk.bmi);
  if (bmiNote !== null) parts.push(bmiNote);
  if (caveats.length > 0) parts.push(`Data caveats:\n\n${caveats.join("\n")}`);
  // The index day itself is not history: the builder reads only what is dated before it.
  parts.push(`Model: ${options.modelName} ${options.modelVersion}; history before ${options.indexDate}.`);
  parts.push(`**${MODEL_DISCLAIMER}**`);
  return parts.join("\n\n");
}

function appLink(options: CardOptions): CdsLink {
  const appContext = JSON.stringify({ cardUuid: options.cardUuid, indexDate: options.indexDate });
  let url = options.appLaunchUrl;
  if (options.appContextInLaunchUrl) {
    const u = new URL(url);
    u.searchParams.set("cardUuid", options.cardUuid);
    u.searchParams.set("indexDate", options.indexDate);
    url = u.toString();
  }
  return { label: "Open the Patella knee OA risk view", url, type: "smart", appContext };
}

/**
 * One sentence (CDS Hooks 2.0: "One-sentence, <140-character summary"). With a knee graded KL 2 or
 * more the finding comes first: "Low" beside "knee OA" would read as a contradiction, and the
 * number is then the risk of a diagnosis being recorded. At most 135 characters ("<5.0%" and the
 * Moderate label are the longest parts: tested for each tier).
 */
function cardSummary(risk: CardRisk): string {
  const tier = `${RISK_TIER_CONFIG.labels[risk.tier]}; ${SHORT_DISCLAIMER.charAt(0).toLowerCase()}${SHORT_DISCLAIMER.slice(1)}`;
  const shown = formatRisk(risk.probability);
  if (!risk.recentKneeOaGrade) return `Knee OA risk in the next year: ${shown} (${tier})`;
  return `Imaging AI suggests knee OA (KL ${risk.recentKneeOaGrade.grade}), not coded; 1-year risk of a diagnosis: ${shown} (${tier})`;
}

export function buildRiskCard(risk: CardRisk, options: CardOptions): CdsCard {
  const card: CdsCard = {
    uuid: options.cardUuid,
    summary: cardSummary(risk),
    indicator: risk.tier === "high" ? "warning" : "info",
    detail: detailMarkdown(risk, options),
    source: { label: "Patella Deep-KOA (synthetic-data model)", url: options.modelCardUrl },
    overrideReasons: [...OVERRIDE_REASONS],
    links: [appLink(options)],
  };
  const suggestions = riskSuggestions({ patientId: risk.patientId, tier: risk.tier, bmi: risk.bmi, cardUuid: options.cardUuid });
  if (suggestions.length > 0) {
    card.suggestions = suggestions;
    card.selectionBehavior = "any";
  }
  return card;
}
