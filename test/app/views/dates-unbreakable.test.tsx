// @vitest-environment jsdom
/**
 * Every ISO date the app shows is one <time> element (app.css keeps it on one line), so that a
 * 360 px side panel never breaks "2024-03-05" at a hyphen. A date written outside one fails here.
 */
import { cleanup, fireEvent, render } from "@testing-library/react";
import type { Patient } from "fhir/r4";
import { afterEach, describe, expect, it } from "vitest";
import type { RiskAssessmentResult } from "../../../shared/assess-risk.ts";
import type { PatientFeatures } from "../../../shared/features/types.ts";
import type { RiskModelInfo } from "../../../shared/inference/index.ts";
import type { LoadedRecord } from "../../../app/data/load-record.ts";
import { RECORD_QUERIES } from "../../../app/data/record-queries.ts";
import { ImagingPanel } from "../../../app/imaging/ImagingPanel.tsx";
import { DataQuality } from "../../../app/views/DataQuality.tsx";
import { ModelInfo } from "../../../app/views/ModelInfo.tsx";
import { PatientBanner } from "../../../app/views/PatientBanner.tsx";
import { RecordList } from "../../../app/views/RecordList.tsx";
import { RiskSummary } from "../../../app/views/RiskSummary.tsx";
import { TrendSection } from "../../../app/views/TrendSection.tsx";
import { WhatIf } from "../../../app/views/WhatIf.tsx";
import { exampleResources, FINDINGS } from "../../support/imaging-examples.ts";
import { diagnosedTrend } from "./diagnosed-trend.ts";

afterEach(cleanup);

const ISO_DATE = /\d{4}-\d{2}(?:-\d{2})?/g;

/** The ISO dates in the text of `root` that are not inside a <time> element (text for screen
 * readers only, the chart's text alternative, is never laid out, so cannot wrap). */
function datesOutsideTime(root: HTMLElement): string[] {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const outside: string[] = [];
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if (node.parentElement?.closest("time, .visually-hidden") === null) outside.push(...(node.textContent?.match(ISO_DATE) ?? []));
  }
  return outside;
}

/** The dates shown in <time> elements; each must carry its date as its machine-readable value. */
function timeElements(root: HTMLElement): string[] {
  const times = [...root.querySelectorAll("time")];
  for (const time of times) expect(time.getAttribute("datetime")).toBe(time.textContent);
  return times.map((t) => t.textContent ?? "");
}

function expectOnlyTimeDates(root: HTMLElement, shown: readonly string[]): void {
  expect(datesOutsideTime(root)).toEqual([]);
  expect(timeElements(root)).toEqual(expect.arrayContaining([...shown]));
}

const DIAGNOSED = { eligible: false, reasons: ["already_diagnosed"], warnings: [], alreadyDiagnosed: { date: "2023-04-12", precision: "day" } } as const;

const trend = (scored: number) => diagnosedTrend(scored, [{ date: "2024-02-11", label: "Knee pain", pointIndex: 3 }]);

describe("dates shown by the app", () => {
  it("the patient banner's birth date", () => {
    const patient: Patient = { resourceType: "Patient", gender: "female", birthDate: "1958-03-14" };
    const { container } = render(<PatientBanner patient={patient} />);
    expectOnlyTimeDates(container, ["1958-03-14"]);
  });

  it("the patient banner without a birth date: null (as EHRs send it) or absent reads 'unknown'", () => {
    for (const birthDate of [null, undefined]) {
      const patient = { resourceType: "Patient", gender: "female", birthDate } as unknown as Patient;
      const { container, unmount } = render(<PatientBanner patient={patient} />);
      expect(container.textContent).toBe("(no name) · female · born unknown");
      unmount();
    }
  });

  it("the first diagnosis of an already diagnosed patient", () => {
    const result = { eligibility: DIAGNOSED, features: {}, model: {} } as unknown as RiskAssessmentResult;
    const { container } = render(<RiskSummary state={{ status: "done", value: { result } }} missing={[]} />);
    expectOnlyTimeDates(container, ["2023-04-12"]);
  });

  it("the latest BMI's date in data quality", () => {
    const record: LoadedRecord = {
      patientId: "p1",
      queries: RECORD_QUERIES.map((query) => ({ query, outcome: { status: "loaded", resources: [], dropped: {}, notModelInput: 0 } })),
    };
    const features = {
      demographics: { historyYears: 3, bmi: 31.2, bmiDate: "2024-03-05" },
      eligibility: { eligible: true, reasons: [], warnings: [] },
      quality: { resourcesUsed: 10, ignoredOnOrAfterIndex: 0, skipped: {}, unmappedCodes: {} },
    } as unknown as PatientFeatures;
    const { container } = render(<DataQuality record={record} features={features} />);
    expectOnlyTimeDates(container, ["2024-03-05"]);
  });

  it("the index date and the model's training date", () => {
    const model = { name: "deep-koa", version: "1.3.0", specVersion: "2", trainedAt: "2026-11-01T10:00:00Z" } as RiskModelInfo;
    const { container } = render(<ModelInfo model={{ status: "done", value: model }} indexDate="2026-11-30" indexDateSource="card" modelCardUrl="model-card.html" />);
    expectOnlyTimeDates(container, ["2026-11-30", "2026-11-01"]);
  });

  it("the records behind a reason, and the birth date the model read", () => {
    const refs = [
      { resourceType: "Condition", id: "c1", date: "2024-03-05", codings: [], text: "Knee pain" },
      { resourceType: "Patient", id: "p1", date: null, codings: [], text: "birth date", value: "1947-06-04" },
    ];
    const { container } = render(<RecordList refs={refs} />);
    expectOnlyTimeDates(container, ["2024-03-05", "1947-06-04"]);
  });

  it("the what-if's BMI date, and the record's BMI of the what-if day", async () => {
    const held = async (bmi: number) => ({ bmi, usedBmi: 33, recordBmiThatDay: { bmi: 33, date: "2026-11-29" } });
    const { container, findByText } = render(<WhatIf probability={0.02} bmi={31.2} bmiDate="2024-03-05" compute={held} />);
    const input = container.querySelector('[data-testid="what-if-bmi"]') as HTMLInputElement;
    fireEvent.change(input, { target: { value: "25" } });
    await findByText(/cannot be tried on this record/);
    expectOnlyTimeDates(container, ["2024-03-05", "2026-11-29"]);
  });

  it("the trend table's dates, ranges, diagnosis date and event dates", () => {
    const { container } = render(<TrendSection state={{ status: "done", value: trend(6) }} />);
    expectOnlyTimeDates(container, ["2023-12-01", "2024-05-01", "2024-06-01", "2026-11-01", "2024-05-20", "2024-02-11"]);
  });

  it("the sentence that replaces a trend with no scored month", () => {
    const { container } = render(<TrendSection state={{ status: "done", value: trend(0) }} />);
    expectOnlyTimeDates(container, ["2023-12-01", "2026-11-01", "2023-04-12"]);
  });

  it("the imaging list and the imaging AI results", () => {
    const { container } = render(<ImagingPanel indexDate="2026-01-01" resources={exampleResources(FINDINGS.kl)} queries={[]} />);
    expect(timeElements(container).length).toBeGreaterThan(1);
    expect(datesOutsideTime(container)).toEqual([]);
  });
});
