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

async function tagsOf(model: RiskModel, resources: readonly Resource[], indexDate: string): Promise<DemoTag[]> {
  const result = await assessRisk(model, resources, indexDate, { explain: false });
  const tags: DemoTag[] = [];
  const tier = result.tier === undefined ? undefined : TIER_TAG[result.tier];
  if (tier) tags.push(tier);
  const { reasons, warnings } = result.eligibility;
  if (reasons.includes("already_diagnosed")) tags.push("already diagnosed");
  if (reasons.includes("under_min_age")) tags.push("too young");
  if (warnings.includes("no_bmi")) tags.push("no BMI");
  if (warnings.includes("short_history")) tags.push("short history");
  if (resources.some((r) => r.resourceType === "MedicationRequest")) tags.push("MedicationRequest");
  if (resources.some((r) => r.resourceType === "MedicationStatement")) tags.push("MedicationStatement");
  return tags;
}

export async function buildDemoCohort(options: DemoCohortOptions): Promise<DemoCohort> {
  const byId = new Map<string, { resources: Resource[]; tags: DemoTag[]; number: number }>();
  const pool: Candidate[] = [];
  const youngFrom = options.poolSize - DEMO_QUOTAS["too young"];
  let n = 0;
  for (const simulated of simulateCohort({ patients: options.poolSize, seed: options.seed, endDate: options.endDate })) {
    const resources = n++ >= youngFrom ? makeTooYoung(simulated.resources, options.endDate, TOO_YOUNG_AGE) : simulated.resources;
    const id = simulated.truth.patientId;
    const tags = await tagsOf(options.model, resources, options.endDate);
    byId.set(id, { resources, tags, number: n - 1 });
    // The re-dated patients go first so their quota is met by them, not by chance.
    if (tags.includes("too young")) pool.unshift({ id, tags });
    else pool.push({ id, tags });
  }
  const selection = selectDemoPatients(pool, options.total);
  const resources: Resource[] = [];
  const tags = new Map<string, DemoTag[]>();
  for (const id of selection.ids) {
    const entry = byId.get(id);
    if (!entry) continue;
    resources.push(...entry.resources);
    // Imaging AI results (KL grades, SvH, CSAE, DeepResolve) where the record calls for them;
    // their own random stream, so the records and the risk tags above are unchanged.
    resources.push(...simulateImagingResults(entry.resources, { seed: options.seed, patientNumber: entry.number, endDate: options.endDate }));
    tags.set(id, entry.tags);
  }
  return { resources, tags, shortfalls: selection.shortfalls };
}
