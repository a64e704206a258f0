/**
 * Which drivers of an explanation are worth a line, and how big each one is written: one rule
 * for the CDS card and the SMART app's reasons, so the two list the same drivers with the same
 * numbers.
 */
import type { RiskDriver } from "./inference/explain.ts";

/**
 * Said wherever drivers are listed (the card, the app's reasons, the population's RiskAssessment
 * and summary). The drivers are what moves this model's number, and some run against clinical
 * knowledge (an antihypertensive or back pain lowering the risk): read as causes in the patient,
 * they would mislead. No example in it: under a list where BMI raises the risk, "a higher BMI
 * lowering the estimate" would read as said of this patient.
 */
export const DRIVERS_CAVEAT =
  "These factors explain this model, trained on synthetic data, not the patient's biology: " +
  "some can run against clinical knowledge.";

/** Said with the drivers' sizes (the card, the app's reasons): each is measured with that factor
 * alone set to its reference, so the sizes need not sum to the risk, and can exceed it. */
export const DRIVERS_NOT_ADDITIVE = "The changes do not add up: the factors act together.";

/** A driver's size as people read it: percentage points, unsigned, one decimal. */
export function effectPoints(effect: number): string {
  return Math.abs(effect * 100).toFixed(1);
}

/**
 * A driver's name and what the record shows, as the app's reasons and the population list write
 * them: the name, then the rest. A detail that starts with the name ("Age 78 (compared with
 * 50)", the shared explanation's) carries it already, so the name is the start of the detail, not
 * said twice ("Age: Age 78"); any other detail follows the name after a colon.
 */
export function driverWords(driver: Pick<RiskDriver, "label" | "detail">): { name: string; rest: string } {
  const { label, detail } = driver;
  return detail.startsWith(`${label} `) ? { name: label, rest: detail.slice(label.length) } : { name: label, rest: `: ${detail}` };
}

/**
 * The drivers to show, in the order given. An effect that prints as "0.0" points (under 0.05)
 * says nothing, and would read as a signed zero ("lowers by 0.0"). A missing BMI is a gap in the
 * record, already said as a data caveat, not a reason for the risk.
 */
export function shownDrivers(drivers: readonly RiskDriver[], { bmiMissing }: { bmiMissing: boolean }): RiskDriver[] {
  return drivers.filter((d) => effectPoints(d.effect) !== "0.0" && !(bmiMissing && d.group.kind === "bmi"));
}
