/**
 * `npm run evaluate:explanations [-- --patients N --seed S --model PATH]`: how often the drivers
 * a card shows disagree with the simulator that made the data.
 *
 * A fresh cohort is simulated in memory (models/cohort), every truth index date is scored, and
 * each index date at or above the card tier (the service's default minimum, "moderate") is
 * explained with the shared explainRisk, as the card is. Of the drivers the card shows (the
 * first CARD_DRIVERS with a non-zero effect), it counts those whose group has no effect on knee
 * OA in the simulator, and those whose direction is the opposite of the simulator's.
 *
 * Which groups have an effect, and in which direction, is in simulator-effects.ts.
 *
 * It also asks the SMART app's what-if (shared/what-if-bmi.ts, the app's own code and rule) about
 * the patients a card suggests weight management to (obese, OBESITY_BMI): in the simulator a
 * lower BMI never raises the risk, so every card whose what-if at BMI 25 runs against the
 * evidence is the model's doing.
 */
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { buildFeatures } from "../../shared/features/build-features.ts";
import type { PatientFeatures } from "../../shared/features/types.ts";
import { type RiskDriver, explainRisk } from "../../shared/inference/explain.ts";
import { loadRiskModel, type RiskModel } from "../../shared/inference/index.ts";
import { OBESITY_BMI } from "../../shared/obesity.ts";
import { RISK_TIER_CONFIG, riskTier, type RiskTier } from "../../shared/risk-tiers.ts";
import { riskWithBmi, runsAgainstEvidence } from "../../shared/what-if-bmi.ts";
import { simulateCohort } from "../cohort/simulate.ts";
import { simulatorDirection } from "./simulator-effects.ts";

/** The card lists this many drivers (cds-service/cards/build-risk-card.ts, maxDrivers default). */
const CARD_DRIVERS = 4;

/** The what-if BMI asked about: the lower edge of the WHO overweight range. */
const WHAT_IF_BMI = 25;

/** An index date at or above the card tier: which simulated patient (by order) and when. */
interface Card {
  patient: number;
  date: string;
  features: PatientFeatures;
  probability: number;
}

/** Of the cards of obese patients, how many the app's what-if at BMI 25 answers against the
 * evidence, in all and by the card's tier (a high-risk card also proposes physiotherapy: the
 * share can differ by tier). The cohort is simulated again (the same seed gives the same
 * records) rather than kept: only the features of every patient are held. */
async function whatIfAgainstEvidence(model: RiskModel, cohort: { patients: number; seed: number }, cards: readonly Card[]) {
  const obese = new Map<number, Card[]>();
  for (const card of cards) {
    if ((card.features.demographics.bmi ?? 0) < OBESITY_BMI) continue;
    const ofPatient = obese.get(card.patient);
    if (ofPatient === undefined) obese.set(card.patient, [card]);
    else ofPatient.push(card);
  }
  const byTier = new Map<RiskTier, { asked: number; against: number }>();
  let patient = 0;
  for (const { resources, truth } of simulateCohort(cohort)) {
    for (const card of obese.get(patient++) ?? []) {
      const result = await riskWithBmi(model, resources, truth.patientId, card.date, WHAT_IF_BMI);
      const tier = riskTier(card.probability);
      const tally = byTier.get(tier) ?? { asked: 0, against: 0 };
      byTier.set(tier, tally);
      tally.asked++;
      if (runsAgainstEvidence(card.features.demographics.bmi, result, card.probability)) tally.against++;
    }
  }
  const all = [...byTier.values()].reduce((sum, t) => ({ asked: sum.asked + t.asked, against: sum.against + t.against }), { asked: 0, against: 0 });
  return { ...all, byTier };
}

function argNumber(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} needs a whole number >= 0, got ${argv[i + 1] ?? "nothing"}`);
  return value;
}

interface Tally {
  shown: number;
  noEffect: number;
  contradicts: number;
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help")) {
    console.log("usage: npm run evaluate:explanations -- [--patients N (default 20000)] [--seed S (default 7070)] [--model PATH]");
    return;
  }
  const patients = argNumber(argv, "--patients", 20000);
  const seed = argNumber(argv, "--seed", 7070);
  const modelIndex = argv.indexOf("--model");
  const modelPath = modelIndex < 0 ? new URL("../deep-koa/deep-koa.onnx", import.meta.url) : argv[modelIndex + 1];
  if (modelPath === undefined) throw new Error("--model needs the path of an ONNX model");
  const model = await loadRiskModel(ort, new Uint8Array(await readFile(modelPath)));

  const eligible: Omit<Card, "probability">[] = [];
  let patient = 0;
  for (const { resources, truth } of simulateCohort({ patients, seed })) {
    for (const d of truth.indexDates) {
      const features = buildFeatures(resources, d.date);
      if (features.eligibility.eligible) eligible.push({ patient, date: d.date, features });
    }
    patient++;
  }
  const probabilities = await model.predict(eligible.map((e) => e.features));
  const cards: Card[] = eligible
    .map((e, i) => ({ ...e, probability: probabilities[i] as number }))
    .filter((c) => c.probability >= RISK_TIER_CONFIG.thresholds.moderate);
  const whatIf = await whatIfAgainstEvidence(model, { patients, seed }, cards);

  const total: Tally = { shown: 0, noEffect: 0, contradicts: 0 };
  const byKey = new Map<string, Tally>();
  let explainMs = 0;
  for (const { features } of cards) {
    const start = performance.now();
    const { drivers } = await explainRisk(model, features);
    explainMs += performance.now() - start;
    const shown: RiskDriver[] = drivers.filter((d) => d.effect !== 0).slice(0, CARD_DRIVERS);
    for (const d of shown) {
      const truth = simulatorDirection(d.key, features);
      const tally = byKey.get(d.key) ?? { shown: 0, noEffect: 0, contradicts: 0 };
      byKey.set(d.key, tally);
      for (const t of [total, tally]) {
        t.shown++;
        if (truth === 0) t.noEffect++;
        else if (truth !== Math.sign(d.effect)) t.contradicts++;
      }
    }
  }
  await model.release();

  const pct = (n: number, of: number) => (of === 0 ? "n/a" : `${((100 * n) / of).toFixed(1)}%`);
  console.log(`model ${model.info.name} ${model.info.version}; cohort of ${patients} simulated patients, seed ${seed}`);
  console.log(`${eligible.length} eligible index dates, ${cards.length} at or above the card tier; ${total.shown} drivers shown (first ${CARD_DRIVERS} with an effect)`);
  console.log(`explainRisk: ${(explainMs / Math.max(1, cards.length)).toFixed(2)} ms wall per card (this process, machine shared)`);
  console.log(`shown drivers whose group has no effect in the simulator: ${total.noEffect} (${pct(total.noEffect, total.shown)})`);
  console.log(`shown drivers whose direction contradicts the simulator:  ${total.contradicts} (${pct(total.contradicts, total.shown)})`);
  console.log(
    `cards with a BMI >= ${OBESITY_BMI} whose what-if at BMI ${WHAT_IF_BMI} the app calls against clinical evidence: ` +
      `${whatIf.against} of ${whatIf.asked} (${pct(whatIf.against, whatIf.asked)})`,
  );
  for (const tier of ["moderate", "high"] as const) {
    const t = whatIf.byTier.get(tier) ?? { asked: 0, against: 0 };
    console.log(`  of them ${RISK_TIER_CONFIG.labels[tier]} risk cards: ${t.against} of ${t.asked} (${pct(t.against, t.asked)})`);
  }
  console.log("\ndriver                               shown  no effect  contradicts");
  for (const [key, t] of [...byKey].sort((a, b) => b[1].shown - a[1].shown)) {
    console.log(`${key.padEnd(36)} ${String(t.shown).padStart(6)} ${String(t.noEffect).padStart(10)} ${String(t.contradicts).padStart(12)}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`evaluate:explanations: ${(err as Error).message}`);
  process.exit(1);
});
