/**
 * Everything the app shows, loaded and computed outside the components: the record (per query),
 * the risk now with its explanation and baseline, the 36-month trend and its events, and the
 * records behind each reason. Timings are left as performance measures for bench/app.ts.
 */
import type { Patient } from "fhir/r4";
import { useMemo } from "react";
import type { RiskModelInfo } from "../../shared/inference/index.ts";
import { loadRecord, riskInput, type LoadedRecord, type RiskInput } from "../data/load-record.ts";
import type { BrowserModels } from "../risk/browser-models.ts";
import { assessPatient, type PatientAssessment } from "../risk/assess-patient.ts";
import { recordsByDriver, type RecordRef } from "../risk/driver-records.ts";
import { riskTrend, type TrendPoint } from "../risk/risk-trend.ts";
import { trendEventsOf, type TrendEvent } from "../risk/trend-events.ts";
import type { SmartSession } from "../smart/session.ts";
import { type AsyncState, useAsync } from "./use-async.ts";

export interface Trend {
  points: TrendPoint[];
  events: TrendEvent[];
}

export interface PatientView {
  record: AsyncState<LoadedRecord>;
  /** The record as the risk reads it, once it is loaded (computed once per record). */
  input?: RiskInput;
  /** Pending until the record and the models are there; failed if the models cannot load. */
  assessment: AsyncState<PatientAssessment | "missing-required">;
  trend: AsyncState<Trend | "missing-required">;
  driverRecords: ReadonlyMap<string, readonly RecordRef[]>;
  patient?: Patient;
  /** The risk model, once loaded: About names it even when no risk could be computed. */
  model: AsyncState<RiskModelInfo>;
}

async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await run();
  performance.measure(name, { start, end: performance.now() });
  return value;
}

export function usePatientView(session: SmartSession, models: Promise<BrowserModels>): PatientView {
  const record = useAsync(() => timed("patella:record", () => loadRecord(session.client, session.patientId, session.grantedScope)), [session]);
  const loaded = record.status === "done" ? record.value : undefined;
  const input = useMemo(() => (loaded === undefined ? undefined : riskInput(loaded)), [loaded]);
  const complete = input !== undefined && input.missingRequired.length === 0;

  const assessment = useAsync<PatientAssessment | "missing-required">(() => {
    if (input === undefined) return undefined;
    if (!complete) return Promise.resolve("missing-required" as const);
    return models.then((m) => timed("patella:assess", () => assessPatient(m, input, session.indexDate)));
  }, [input]);

  const driverRecords = useMemo(
    () => (input === undefined ? new Map<string, RecordRef[]>() : recordsByDriver(input.resources, session.indexDate)),
    [input, session.indexDate],
  );

  // The trend starts once the risk now is settled: its 36 feature builds would otherwise hold
  // the main thread while the risk waits to be drawn.
  const riskSettled = assessment.status !== "pending";
  const trend = useAsync<Trend | "missing-required">(() => {
    if (input === undefined || !riskSettled) return undefined;
    if (!complete) return Promise.resolve("missing-required" as const);
    return models.then((m) =>
      timed("patella:trend", async () => {
        const points = await riskTrend(m.risk, input.resources, session.indexDate);
        return { points, events: trendEventsOf(points, input.resources, session.indexDate) };
      }),
    );
  }, [input, riskSettled]);

  const model = useAsync(() => models.then((m) => m.risk.info), [models]);

  const patient = input?.resources.find((r): r is Patient => r.resourceType === "Patient");
  return { record, ...(input !== undefined && { input }), assessment, trend, driverRecords, ...(patient !== undefined && { patient }), model };
}
