/**
 * The imaging panel's study list (pure): the patient's ImagingStudy resources and imaging
 * DiagnosticReports (report-kind.ts), newest first, each dated as the record writes it.
 */
import type { DiagnosticReport, ImagingStudy, Resource } from "fhir/r4";
import { words } from "../../shared/concept-name.ts";
import { clipped, MAX_DISPLAY_CHARS } from "../../shared/clipped-text.ts";
import { asArray, asNumber, asObject, firstObject } from "../../shared/features/fhir-read.ts";
import { parseFhirDay } from "../../shared/fhir-dates.ts";
import { newestFirst } from "../../shared/imaging/newest-first.ts";
import { writtenDate } from "../../shared/record-dates.ts";
import { isAfterIndexDate } from "../imaging-ai/format.ts";
import { reportKind } from "./report-kind.ts";

export interface ImagingItem {
  key: string;
  /** Shown: the date as the record writes it (shared/record-dates.ts, writtenDate): the day the images were
   * taken where they were taken, or the year or month alone when that is all the record gives
   * (a first day would state a precision it does not have). The model reads no imaging, so no
   * UTC day is counted for it. */
  date: string | null;
  /** The date is after the index date: newer than the record the risk is computed from. */
  afterIndexDate: boolean;
  kind: "Study" | "Report";
  title: string;
  /** What the entry says beyond its title: a study's series and images, a report's conclusion. */
  detail: string | null;
}

export interface ImagingList {
  items: ImagingItem[];
  /** Reports left out whose category does not say what they are (report-kind.ts, "uncoded"). */
  uncodedReports: number;
}

/** Only strings and numbers from the server are shown: React cannot render an object, and one
 * malformed study would otherwise take the whole app, the risk included, down with it. */
function fullTitle(resource: Resource): string {
  if (resource.resourceType === "ImagingStudy") {
    const study = resource as ImagingStudy;
    const modality = asArray(study.modality).map((m) => words(asObject(m)?.code)).filter((code) => code !== undefined).join(", ");
    return words(study.description) ?? words(firstObject(study.procedureCode)?.text) ?? (modality ? `${modality} study` : "Imaging study");
  }
  const code = asObject((resource as DiagnosticReport).code);
  return words(code?.text) ?? words(firstObject(code?.coding)?.display) ?? "Diagnostic report";
}

/** When the images were taken or the report made, if the server sent a valid date. (shared/record-dates.ts
 * leaves imaging undated on purpose: it dates only what the risk model reads.) */
function imagingDate(resource: Resource): string | null {
  const value: unknown =
    resource.resourceType === "ImagingStudy"
      ? (resource as ImagingStudy).started
      : ((resource as DiagnosticReport).effectiveDateTime ?? (resource as DiagnosticReport).issued);
  return typeof value === "string" && parseFhirDay(value) !== null ? value : null;
}

function detail(resource: Resource): string | null {
  if (resource.resourceType === "DiagnosticReport") return words((resource as DiagnosticReport).conclusion) ?? null;
  const { numberOfSeries, numberOfInstances } = resource as ImagingStudy;
  const count = (n: unknown, what: string) => (asNumber(n) === undefined ? null : `${n} ${what}`);
  const parts = [count(numberOfSeries, "series"), count(numberOfInstances, "images")].filter((part) => part !== null);
  return parts.length === 0 ? null : parts.join(", ");
}

/**
 * The list, and how many reports it left out uncoded. `aiReportKeys`: the imaging AI results'
 * reports ("DiagnosticReport/id"), listed whatever their category, since the panel shows them
 * below as results. `indexDate`: YYYY-MM-DD.
 *
 * An entry after the index date is listed, and marked: the panel is where the clinician sees
 * the patient's imaging, and a radiograph taken since the date the risk is for (a card's index
 * date, opened days later) may already show the knee OA the risk is about. Hiding it would hide
 * the newest evidence; listing it unmarked would read as part of the record the risk was
 * computed from. An entry written after the index date has a UTC day on or after it too (an
 * offset moves a day by one at most), so no rule of the risk (its KL grade caveat, for one) counts
 * a marked entry. A partial date is marked only when its first day is after the index date.
 *
 * Newest first by the date shown (a list whose dates go up would read as misordered), and within
 * a date by the instant (shared/imaging/newest-first.ts), undated last.
 */
export function imagingList(resources: readonly Resource[], aiReportKeys: ReadonlySet<string>, indexDate: string): ImagingList {
  let uncodedReports = 0;
  const listed = resources.filter((r) => {
    if (r.resourceType === "ImagingStudy") return true;
    if (r.resourceType !== "DiagnosticReport") return false;
    const kind = reportKind(r);
    if (kind === "imaging" || aiReportKeys.has(`DiagnosticReport/${r.id}`)) return true;
    if (kind === "uncoded") uncodedReports += 1;
    return false;
  });
  const dated = listed.map((r) => ({ resource: r, when: imagingDate(r) }));
  const byInstant = newestFirst(dated, (entry) => entry.when);
  const shown = byInstant.map(({ resource, when }) => {
    const date = when === null ? null : writtenDate(when);
    return {
      key: `${resource.resourceType}/${resource.id}`,
      date,
      afterIndexDate: isAfterIndexDate(date, indexDate),
      kind: resource.resourceType === "ImagingStudy" ? ("Study" as const) : ("Report" as const),
      // Cut where the app cuts a server's names, so that an enormous description cannot flood the panel.
      title: clipped(fullTitle(resource), MAX_DISPLAY_CHARS),
      detail: detail(resource),
    };
  });
  // A stable sort: entries of one date keep the instant's order. As text, "2024" comes after
  // every day of 2024, where the instant's order puts it too (it counts from its first instant).
  const items = shown.sort((a, b) => (a.date === b.date ? 0 : a.date === null ? 1 : b.date === null ? -1 : b.date.localeCompare(a.date)));
  return { items, uncodedReports };
}
