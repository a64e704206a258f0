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
 * It also checks the SMART app's what-if for the patients a card suggests weight management to
 * (BMI 30 or more): in the simulator a lower BMI never raises the risk, so each such card whose
 * risk the model makes higher at BMI 25 is a what-if that runs against the simulator.
 */
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { buildFeatures } from "../../shared/features/build-features.ts";
import type { PatientFeatures } from "../../shared/features/types.ts";
import { type RiskDriver, explainRisk } from "../../shared/inference/explain.ts";
import { loadRiskModel, type RiskModel } from "../../shared/inference/index.ts";
import { scaleStatic } from "../../shared/features/static-features.ts";
import { RISK_TIER_CONFIG } from "../../shared/risk-tiers.ts";
import { simulateCohort } from "../cohort/simulate.ts";
import { simulatorDirection } from "./simulator-effects.ts";

/** The card lists this many drivers (cds-service/cards/build-risk-card.ts, maxDrivers default). */
const CARD_DRIVERS = 4;

/** The card suggests weight management from this BMI on (cds-service/cards/suggestions.ts). */
const WEIGHT_MANAGEMENT_BMI = 30;
/** The what-if BMI checked against it: the upper edge of the WHO overweight range's start. */
const WHAT_IF_BMI = 25;

/** Of the cards with a BMI of 30 or more, how many the model gives a higher risk at BMI 25. */
async function whatIfAgainstSimulator(model: RiskModel, cards: readonly PatientFeatures[], probabilities: readonly number[]) {
  const obese = cards.map((features, i) => ({ features, probability: probabilities[i]! })).filter(({ features }) => (features.demographics.bmi ?? 0) >= WEIGHT_MANAGEMENT_BMI);
  // BMI reaches the model only through the static vector, so this is the what-if's input.
  const lowered = obese.map(({ features }) => ({ ...features, static: scaleStatic({ ...features.demographics, bmi: WHAT_IF_BMI }) }));
  const atWhatIf = await model.predict(lowered);
  return { cards: obese.length, higher: obese.filter(({ probability }, i) => (atWhatIf[i] as number) > probability).length };
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

  const eligible: PatientFeatures[] = [];
  for (const { resources, truth } of simulateCohort({ patients, seed })) {
    for (const d of truth.indexDates) {
      const features = buildFeatures(resources, d.date);
      if (features.eligibility.eligible) eligible.push(features);
    }
  }
  const probabilities = await model.predict(eligible);
  const onCard = (p: number) => p >= RISK_TIER_CONFIG.thresholds.moderate;
  const cards = eligible.filter((_, i) => onCard(probabilities[i] as number));
  const whatIf = await whatIfAgainstSimulator(model, cards, [...probabilities].filter((p) => onCard(p)));

  const total: Tally = { shown: 0, noEffect: 0, contradicts: 0 };
  const byKey = new Map<string, Tally>();
  let explainMs = 0;
  for (const features of cards) {
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
    `cards with BMI >= ${WEIGHT_MANAGEMENT_BMI} whose risk the model makes higher at BMI ${WHAT_IF_BMI} (a what-if against the simulator): ` +
      `${whatIf.higher} of ${whatIf.cards} (${pct(whatIf.higher, whatIf.cards)})`,
  );
  console.log("\ndriver                               shown  no effect  contradicts");
  for (const [key, t] of [...byKey].sort((a, b) => b[1].shown - a[1].shown)) {
    console.log(`${key.padEnd(36)} ${String(t.shown).padStart(6)} ${String(t.noEffect).padStart(10)} ${String(t.contradicts).padStart(12)}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`evaluate:explanations: ${(err as Error).message}`);
  process.exit(1);
});
