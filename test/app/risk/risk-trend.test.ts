/** The trend's points before the record starts, and its risk axis. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatRiskTick, riskTrend, type TrendPoint, trendRiskAxis } from "../../../app/risk/risk-trend.ts";
import type { RiskModel } from "../../../shared/inference/index.ts";
import { CODES, condition, encounter, patient } from "../../support/fhir-builders.ts";
import { countingCommittedModel } from "../../support/counting-model.ts";

const INDEX_DATE = "2024-01-15";
const PATIENT = patient({ birthDate: "1958-03-14" });

describe("riskTrend before the record starts (onnxruntime-node)", () => {
  let model: RiskModel;
  let rows: () => number;
  beforeAll(async () => {
    ({ model, rows } = await countingCommittedModel());
  });
  afterAll(() => model.release());

  const states = (points: readonly TrendPoint[]) => points.map((p) => p.state);

  it("marks every monthly date up to the first dated record 'no-record', with no risk, and does not assess them", async () => {
    // About 0.2 years of history: the first visit on 2023-11-01. Of the dates ...2023-10-15,
    // 2023-11-15, 2023-12-15, 2024-01-15 only the last three have a record before them.
    const before = rows();
    const points = await riskTrend(model, [PATIENT, encounter("2023-11-01")], INDEX_DATE);
    expect(points).toHaveLength(36);
    expect(states(points)).toEqual([...Array<string>(33).fill("no-record"), "risk", "risk", "risk"]);
    expect(points.slice(0, 33).every((p) => p.probability === null)).toBe(true);
    expect(points[32]?.indexDate).toBe("2023-10-15");
    expect(rows() - before).toBe(3);
  });

  it("counts a record dated on an index date only from the next one (the model sees what is dated before)", async () => {
    const points = await riskTrend(model, [PATIENT, encounter("2023-11-15")], INDEX_DATE);
    expect(states(points).slice(32)).toEqual(["no-record", "no-record", "risk", "risk"]);
  });

  it("starts the record when an old onset was written into it, as shared/record-dates.ts does", async () => {
    // Onset in 2015, recorded 2023-12-01: the record starts on 2023-12-01.
    const late = condition(CODES.diabetes, { onsetDateTime: "2015-04-01", recordedDate: "2023-12-01" });
    const points = await riskTrend(model, [PATIENT, late], INDEX_DATE);
    expect(states(points).slice(33)).toEqual(["no-record", "risk", "risk"]);
  });

  it("has a risk at every date for a record older than the trend, and none for a record with no dates", async () => {
    const old = await riskTrend(model, [PATIENT, encounter("2019-02-01")], INDEX_DATE);
    expect(old.every((p) => p.state === "risk")).toBe(true);
    const undated = await riskTrend(model, [PATIENT], INDEX_DATE);
    expect(undated.every((p) => p.state === "no-record")).toBe(true);
  });
});

describe("riskTrend of an already diagnosed patient (onnxruntime-node)", () => {
  let model: RiskModel;
  beforeAll(async () => {
    ({ model } = await countingCommittedModel());
  });
  afterAll(() => model.release());

  it("gives each month after the diagnosis the first diagnosis, as precisely as the record dates it", async () => {
    const diagnosed = condition(CODES.kneeOaSnomed, { onsetDateTime: "2022-06-20" });
    const points = await riskTrend(model, [PATIENT, encounter("2019-02-01"), diagnosed], INDEX_DATE);
    expect(points.slice(16, 19).map((p) => [p.indexDate, p.state, p.firstDiagnosed])).toEqual([
      ["2022-06-15", "risk", undefined],
      ["2022-07-15", "already-diagnosed", "2022-06-20"],
      ["2022-08-15", "already-diagnosed", "2022-06-20"],
    ]);
    const byYear = await riskTrend(model, [PATIENT, encounter("2019-02-01"), condition(CODES.kneeOaSnomed, { onsetDateTime: "2013" })], INDEX_DATE);
    expect(byYear.every((p) => p.state === "already-diagnosed" && p.firstDiagnosed === "2013")).toBe(true);
  });
});

describe("trendRiskAxis", () => {
  const at = (...probabilities: (number | null)[]): TrendPoint[] =>
    probabilities.map((probability, i) => ({ indexDate: `2023-${String(i + 1).padStart(2, "0")}-15`, probability, state: probability === null ? "no-record" : "risk" }));

  it("starts at 0 and reaches the moderate threshold (1%) however small the risks, so noise stays flat", () => {
    // 0.015% to 0.06%: all "<0.1%"; recharts had zoomed to 0-0.06%.
    const axis = trendRiskAxis(at(null, 0.00015, 0.0003, 0.00045, 0.0006));
    expect(axis.ticks).toEqual([0, 0.002, 0.004, 0.006, 0.008, 0.01]);
    expect(axis.max).toBe(0.01);
  });

  it("grows past the threshold to the highest risk, on steps of whole tenths of a percent", () => {
    expect(trendRiskAxis(at(0.01)).ticks).toEqual([0, 0.002, 0.004, 0.006, 0.008, 0.01]);
    expect(trendRiskAxis(at(0.0101)).ticks).toEqual([0, 0.005, 0.01, 0.015]);
    expect(trendRiskAxis(at(0.02, 0.057)).ticks).toEqual([0, 0.02, 0.04, 0.06]);
    expect(trendRiskAxis(at(0.93)).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("labels ticks as the app writes a risk, with exact ends", () => {
    expect(trendRiskAxis(at(0.0005)).ticks.map(formatRiskTick)).toEqual(["0%", "0.2%", "0.4%", "0.6%", "0.8%", "1.0%"]);
    expect([0.015, 0.06, 1].map(formatRiskTick)).toEqual(["1.5%", "6.0%", "100%"]);
  });
});
