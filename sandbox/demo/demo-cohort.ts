/**
 * The sandbox's demo patients: a pool simulated by the cohort simulator (deterministic from the
 * seed, records ending on `endDate`, normally today), each assessed with the real model at
 * `endDate` (the index date the CDS service uses that day), then a selection that shows every
 * state. Tags say what each patient demonstrates; they are shown in the EHR's patient list.
 */
import type { Resource } from "fhir/r4";
import { simulateImagingResults } from "../../models/cohort/imaging-results.ts";
import { simulateCohort } from "../../models/cohort/simulate.ts";
import { assessRisk } from "../../shared/assess-risk.ts";
import type { RiskModel } from "../../shared/inference/index.ts";
import { recentKneeOaGrade } from "../../shared/imaging/recent-kl.ts";
import { kneeReplaced } from "../../shared/knee-replaced.ts";
import { isModelInput } from "../../shared/model-input.ts";
import { recordNotCurrent } from "../../shared/record-currency.ts";
import { giveKneeReplacement } from "./give-knee-replacement.ts";
import { makeTooYoung } from "./make-too-young.ts";
import { selectDemoPatients, DEMO_QUOTAS, type Candidate, type DemoTag, type Selection } from "./select-demo-patients.ts";

export interface DemoCohortOptions {
  seed: number;
  /** YYYY-MM-DD: last day of every record and the index date of the risk tags. */
  endDate: string;
  /** Patients simulated to choose from. */
  poolSize: number;
  /** Patients kept. */
  total: number;
  model: RiskModel;
}

export interface DemoCohort {
  resources: Resource[];
  tags: Map<string, DemoTag[]>;
  shortfalls: Selection["shortfalls"];
}

/** Age given to the patients re-dated to show "too young" (below the default minimum of 18). */
const TOO_YOUNG_AGE = 15;

const TIER_TAG: Record<string, DemoTag> = { high: "high risk", moderate: "moderate risk", low: "low risk" };
const RISK_TAGS: readonly DemoTag[] = Object.values(TIER_TAG);
/** The risks that get a card in the sandbox EHR (the CDS service's default cards.minTier is moderate). */
const CARD_TAGS: readonly DemoTag[] = ["moderate risk", "high risk"];

async function tagsOf(model: RiskModel, resources: readonly Resource[], indexDate: string): Promise<DemoTag[]> {
  const result = await assessRisk(model, resources, indexDate, { explain: false });
  const tags: DemoTag[] = [];
  const tier = result.tier === undefined ? undefined : TIER_TAG[result.tier];
  if (tier) tags.push(tier);
  const { reasons, warnings } = result.eligibility;
  if (reasons.includes("already_diagnosed")) tags.push("already diagnosed");
  if (reasons.includes("under_min_age")) tags.push("too young");
  if (kneeReplaced(resources, indexDate)) tags.push("knee replacement");
  if (warnings.includes("no_bmi")) tags.push("no BMI");
  if (warnings.includes("short_history")) tags.push("short history");
  if (resources.some((r) => r.resourceType === "MedicationRequest")) tags.push("MedicationRequest");
  if (resources.some((r) => r.resourceType === "MedicationStatement")) tags.push("MedicationStatement");
  // Said beside a risk only, as the card and the app say it, from the model's input as they read it.
  if (tier && recordNotCurrent(resources.filter(isModelInput), indexDate)) tags.push("no recent record");
  return tags;
}

/** A simulated patient as the demo keeps it, in pool order. */
interface PoolPatient extends Candidate {
  resources: Resource[];
  tags: DemoTag[];
  /** Its number in the simulated cohort (the imaging results' random stream). */
  number: number;
  /** Its imaging AI results (KL grades, SvH, CSAE, DeepResolve), once simulated. */
  imaging: Resource[];
}

/**
 * The patients to give a knee replacement: only patients with a risk (so none already diagnosed
 * and none too young: the caveat is shown beside a risk), first those whose tier gets a card in
 * the sandbox EHR, in pool order.
 */
function kneeReplacementPicks(patients: readonly PoolPatient[], wanted: number): PoolPatient[] {
  const withRisk = patients.filter((p) => p.tags.some((t) => RISK_TAGS.includes(t)));
  const getsCard = (p: PoolPatient) => p.tags.some((t) => CARD_TAGS.includes(t));
  return [...withRisk.filter(getsCard), ...withRisk.filter((p) => !getsCard(p))].slice(0, wanted);
}

export async function buildDemoCohort(options: DemoCohortOptions): Promise<DemoCohort> {
  const simulated: PoolPatient[] = [];
  const youngFrom = options.poolSize - DEMO_QUOTAS["too young"];
  for (const patient of simulateCohort({ patients: options.poolSize, seed: options.seed, endDate: options.endDate })) {
    const number = simulated.length;
    const resources = number >= youngFrom ? makeTooYoung(patient.resources, options.endDate, TOO_YOUNG_AGE) : patient.resources;
    simulated.push({ id: patient.truth.patientId, resources, tags: await tagsOf(options.model, resources, options.endDate), number, imaging: [] });
  }
  // Knee replacements go to patients before the re-dated ones, so no patient is both; the tag
  // then comes from the record, as every other tag does. They are the first patients of their
  // risk tier in the pool, so that tier's quota chooses them before any other.
  for (const patient of kneeReplacementPicks(simulated.slice(0, youngFrom), DEMO_QUOTAS["knee replacement"])) {
    patient.resources = giveKneeReplacement(patient.resources, options.endDate);
    patient.tags = await tagsOf(options.model, patient.resources, options.endDate);
  }
  // Imaging AI results where the record calls for them, from each final record; their own random
  // stream, so the records and the risk tags above are unchanged. A patient with a risk and a knee
  // graded KL 2 or more gets a card whatever the tier (cds-service/cards/build-risk-card.ts,
  // cardReason): tagged so. One already diagnosed or too young gets none, so no tag.
  for (const patient of simulated) {
    patient.imaging = simulateImagingResults(patient.resources, { seed: options.seed, patientNumber: patient.number, endDate: options.endDate });
    const hasRisk = patient.tags.some((t) => RISK_TAGS.includes(t));
    if (hasRisk && recentKneeOaGrade(patient.imaging, options.endDate) !== null) patient.tags.push("imaging KL 2+");
  }
  // The re-dated patients go first so their quota is met by them, not by chance.
  const tooYoung = (p: PoolPatient) => p.tags.includes("too young");
  const pool = [...simulated.filter(tooYoung), ...simulated.filter((p) => !tooYoung(p))];
  const byId = new Map(simulated.map((p) => [p.id, p]));
  const selection = selectDemoPatients(pool, options.total);
  const resources: Resource[] = [];
  const tags = new Map<string, DemoTag[]>();
  for (const id of selection.ids) {
    const entry = byId.get(id);
    if (!entry) continue;
    resources.push(...entry.resources, ...entry.imaging);
    tags.set(id, entry.tags);
  }
  return { resources, tags, shortfalls: selection.shortfalls };
}
