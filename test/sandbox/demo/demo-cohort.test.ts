/**
 * The demo cohort as `npm start` builds it, from a small pool: its "knee replacement" patients
 * (no knee OA code, a replaced knee), and the card the sandbox EHR shows for one of them with the
 * real CDS service, which reads Procedures only from the EHR's prefetch.
 */
import type { Procedure } from "fhir/r4";
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../sandbox/build-front-ends.ts";
import { startCdsService, type RunningCds } from "../../../sandbox/cds-runner.ts";
import { buildDemoCohort, type DemoCohort } from "../../../sandbox/demo/demo-cohort.ts";
import { DEMO_QUOTAS } from "../../../sandbox/demo/select-demo-patients.ts";
import { modelPathsFromEnv } from "../../../sandbox/demo-stack.ts";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { recentKneeOaGrade } from "../../../shared/imaging/recent-kl.ts";
import { loadRiskModel } from "../../../shared/inference/index.ts";

// Today, as in `npm start`: the CDS service's index date is the day of the call.
const END_DATE = new Date().toISOString().slice(0, 10);
const MODELS = modelPathsFromEnv();

/** The day 730 days before the end date, counted with Date (the replacement's day). */
function replacementDay(): string {
  const day = new Date(`${END_DATE}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 730);
  return day.toISOString().slice(0, 10);
}

let cohort: DemoCohort;
const kneeReplacementPatients = (): [string, readonly string[]][] => [...cohort.tags].filter(([, tags]) => tags.includes("knee replacement"));

beforeAll(async () => {
  const model = await loadRiskModel(ort, new Uint8Array(readFileSync(MODELS.modelPath)));
  try {
    // 200: a few in a hundred simulated patients have a moderate or high risk, so the pool holds
    // several whatever today's date, and one of them gets the knee replacement (and a card).
    cohort = await buildDemoCohort({ seed: 20260101, endDate: END_DATE, poolSize: 200, total: 30, model });
  } finally {
    await model.release();
  }
}, 120_000);

describe("the demo cohort's knee replacement patients", () => {
  it("meet the quota, each with a risk: none already diagnosed, none re-dated too young", () => {
    const patients = kneeReplacementPatients();
    expect(patients.length).toBeGreaterThanOrEqual(DEMO_QUOTAS["knee replacement"]);
    expect(cohort.shortfalls.map((s) => s.tag)).not.toContain("knee replacement");
    for (const [, tags] of patients) {
      expect(tags).not.toContain("already diagnosed");
      expect(tags).not.toContain("too young");
      expect(tags.some((t) => ["low risk", "moderate risk", "high risk"].includes(t))).toBe(true);
    }
  });

  it("have their replacement in the cohort's resources, theirs only", () => {
    const owners = cohort.resources.filter((r): r is Procedure => r.resourceType === "Procedure").map((p) => p.subject.reference);
    expect(owners.length).toBeGreaterThanOrEqual(DEMO_QUOTAS["knee replacement"]);
    expect(owners.sort()).toEqual(kneeReplacementPatients().map(([id]) => `Patient/${id}`).sort());
  });
});

/** The latest day (YYYY-MM-DD) a patient's visits, diagnoses, medicines and vital signs start or
 * were recorded, read off the JSON as the simulator wrote it (the fields that date an entry, not a
 * period's end or a birth date). */
function latestClinicalDay(patientId: string): string {
  const types = ["Encounter", "Condition", "MedicationRequest", "MedicationStatement", "MedicationDispense"];
  const theirs = cohort.resources.filter(
    (r) =>
      JSON.stringify(r).includes(`"Patient/${patientId}"`) &&
      (types.includes(r.resourceType) || (r.resourceType === "Observation" && JSON.stringify(r).includes('"vital-signs"'))),
  );
  const fields = "start|onsetDateTime|recordedDate|authoredOn|dateAsserted|effectiveDateTime|whenHandedOver";
  const days = JSON.stringify(theirs).match(new RegExp(`"(?:${fields})":"(\\d{4}-\\d{2}-\\d{2})`, "g")) ?? [];
  return days.map((d) => d.slice(-10)).sort().at(-1) ?? "";
}

describe("the demo cohort's imaging KL 2+ patients", () => {
  it("are tagged exactly when they have a risk and the imaging results served with their record grade a knee KL 2 or more", () => {
    const observationsOf = (id: string) => cohort.resources.filter((r) => r.resourceType === "Observation" && JSON.stringify(r).includes(`"Patient/${id}"`));
    const hasRisk = (id: string) => cohort.tags.get(id)!.some((t) => ["low risk", "moderate risk", "high risk"].includes(t));
    const graded = [...cohort.tags.keys()].filter((id) => hasRisk(id) && recentKneeOaGrade(observationsOf(id), END_DATE) !== null);
    const tagged = [...cohort.tags].filter(([, tags]) => tags.includes("imaging KL 2+")).map(([id]) => id);
    expect(graded.length).toBeGreaterThan(0);
    expect(tagged).toEqual(graded);
  });
});

describe("the demo cohort's patients with no recent record", () => {
  const hasRisk = (tags: readonly string[]) => tags.some((t) => ["low risk", "moderate risk", "high risk"].includes(t));
  const stale = (id: string) => {
    const yearBefore = new Date(`${END_DATE}T00:00:00Z`);
    yearBefore.setUTCDate(yearBefore.getUTCDate() - 365);
    return latestClinicalDay(id) < yearBefore.toISOString().slice(0, 10);
  };

  it("meet the quota, each with a risk and nothing in their record in the 365 days before today; no other patient with a risk is so", () => {
    const tagged = [...cohort.tags].filter(([, tags]) => tags.includes("no recent record"));
    expect(tagged.length).toBeGreaterThanOrEqual(DEMO_QUOTAS["no recent record"]);
    for (const [id, tags] of tagged) expect([id, hasRisk(tags), stale(id)]).toEqual([id, true, true]);
    const untagged = [...cohort.tags].filter(([, tags]) => !tags.includes("no recent record") && hasRisk(tags));
    expect(untagged.filter(([id]) => stale(id)).map(([id]) => id)).toEqual([]);
  });
});

describe("a knee replacement patient in the sandbox EHR", () => {
  let ehr: Sandbox;
  let cds: RunningCds;
  beforeAll(async () => {
    ehr = await startSandbox({ port: 0, resources: cohort.resources, tags: cohort.tags });
    cds = await startCdsService({
      host: "127.0.0.1",
      port: 0,
      ehr,
      appLaunchUrl: `${ehr.url}/launch.html`,
      ...MODELS,
      modelCardPath: `${REPO_ROOT}models/deep-koa/MODEL_CARD.md`,
      feedbackDbPath: ":memory:",
    });
    ehr.cdsServices.push(cds.url);
  }, 60_000);
  afterAll(async () => {
    await cds?.close();
    await ehr?.close();
  });

  it("carries the tag in the patient list", async () => {
    const listed = (await (await fetch(`${ehr.url}/ehr/api/patients`)).json()) as { id: string; tags: string[] }[];
    const tagged = listed.filter((p) => p.tags.includes("knee replacement")).map((p) => p.id);
    expect(tagged.length).toBeGreaterThanOrEqual(DEMO_QUOTAS["knee replacement"]);
    expect(tagged.sort()).toEqual(kneeReplacementPatients().map(([id]) => id).sort());
  });

  it("gets a card saying a knee replacement is on record, with its day", async () => {
    // Only moderate and high risk get a card (the service's default cards.minTier).
    const withCard = kneeReplacementPatients().find(([, tags]) => tags.includes("moderate risk") || tags.includes("high risk"));
    expect(withCard, "a knee replacement patient with a moderate or high risk").toBeDefined();
    const res = await fetch(`${ehr.url}/ehr/api/patients/${withCard![0]}/patient-view`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    const { services } = (await res.json()) as { services: { status: number; cards: { detail?: string }[] }[] };
    expect(services.map((s) => s.status)).toEqual([200]);
    expect(services[0]!.cards).toHaveLength(1);
    expect(services[0]!.cards[0]!.detail).toContain(`A knee replacement is on record (most recently ${replacementDay()})`);
  }, 30_000);
});
