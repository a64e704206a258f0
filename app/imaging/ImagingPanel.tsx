/**
 * The patient's imaging: ImagingStudy and DiagnosticReport resources, newest first (by the
 * instant, undated last), a study linked to the site's image viewer when one is configured
 * (shared/imaging/viewer-url.ts), a report with its conclusion; and beside them the imaging AI
 * results that shared/imaging's reader finds in the same resources. Nothing links to the FHIR
 * server itself: a browser opens such a link without the app's token, and the clinician sees an
 * authorization error.
 */
import type { DiagnosticReport, ImagingStudy, Resource } from "fhir/r4";
import { words } from "../../shared/concept-name.ts";
import { asArray, asNumber, asObject, firstObject } from "../../shared/features/fhir-read.ts";
import { datePrecision, dayToIsoDate, isoDateAtPrecision, parseFhirDay } from "../../shared/fhir-dates.ts";
import { newestFirst } from "../../shared/imaging/newest-first.ts";
import { clipped, MAX_DISPLAY_CHARS } from "../../shared/clipped-text.ts";
import { type ReadOptions, readImagingResults, studyViewerUrls } from "../../shared/imaging/read-results.ts";
import { type LoadedQuery, notFullyRead, unreadQuery } from "../data/load-record.ts";
import { ImagingAiResults } from "../imaging-ai/ImagingAiResults.tsx";
import "../imaging-ai/imaging-ai.css";
import { IsoDate } from "../views/IsoDate.tsx";
import { QueryStatus } from "../views/QueryStatus.tsx";

interface ImagingItem {
  key: string;
  /** When, as the server wrote it: the order is by its instant (newest-first.ts). */
  when: string | null;
  /** Shown: its UTC day, or the year or month alone when that is all the record gives (a
   * first day would state a precision it does not have). */
  date: string | null;
  kind: string;
  title: string;
  /** The image viewer, for a study when the site configured one. */
  href: string | null;
  /** What the entry says beyond its title: a study's series and images, a report's conclusion. */
  detail: string | null;
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

/** The title as shown: cut where the app cuts a server's names (MAX_DISPLAY_CHARS), so that an
 * enormous description cannot flood the panel. */
function title(resource: Resource): string {
  return clipped(fullTitle(resource), MAX_DISPLAY_CHARS);
}

/** When the images were taken or the report made, if the server sent a string. (shared/record-dates.ts
 * leaves imaging undated on purpose: it dates only what the risk model reads.) */
function imagingDate(resource: Resource): string | null {
  const value: unknown =
    resource.resourceType === "ImagingStudy"
      ? (resource as ImagingStudy).started
      : ((resource as DiagnosticReport).effectiveDateTime ?? (resource as DiagnosticReport).issued);
  return typeof value === "string" ? value : null;
}

function detail(resource: Resource): string | null {
  if (resource.resourceType === "DiagnosticReport") return words((resource as DiagnosticReport).conclusion) ?? null;
  const { numberOfSeries, numberOfInstances } = resource as ImagingStudy;
  const count = (n: unknown, what: string) => (asNumber(n) === undefined ? null : `${n} ${what}`);
  const parts = [count(numberOfSeries, "series"), count(numberOfInstances, "images")].filter((part) => part !== null);
  return parts.length === 0 ? null : parts.join(", ");
}

function imagingItems(resources: readonly Resource[], options: ReadOptions): ImagingItem[] {
  const viewerUrls = studyViewerUrls(resources, options);
  const items = resources
    .filter((r) => r.resourceType === "ImagingStudy" || r.resourceType === "DiagnosticReport")
    .map((r) => {
      const when = imagingDate(r);
      const day = parseFhirDay(when);
      const key = `${r.resourceType}/${r.id}`;
      return {
        key,
        when,
        date: when === null || day === null ? null : isoDateAtPrecision(dayToIsoDate(day), datePrecision(when)),
        kind: r.resourceType === "ImagingStudy" ? "Study" : "Report",
        title: title(r),
        href: viewerUrls.get(key) ?? null,
        detail: detail(r),
      };
    });
  return newestFirst(items, (item) => item.when);
}

/** The queries the study list is made of, and those an imaging AI result needs (its report and measurements). */
const LISTED = ["imagingStudies", "diagnosticReports"];
const AI_RESULTS = ["diagnosticReports", "imagingObservations"];
/** The query of the results' measurements (the reports' result Observations). */
const AI_MEASUREMENTS = ["imagingObservations"];

interface ImagingPanelProps {
  resources: readonly Resource[];
  queries: readonly LoadedQuery[];
  /** shared/imaging/viewer-url.ts template; without one the results have no viewer link. */
  viewerUrlTemplate?: string;
  /** The site's image servers' origins: with the viewer's, the only ones a heat map is linked on. */
  imageOrigins?: readonly string[];
}

export function ImagingPanel({ resources, queries, viewerUrlTemplate, imageOrigins }: ImagingPanelProps) {
  const options: ReadOptions = {
    ...(viewerUrlTemplate !== undefined && { viewerUrlTemplate }),
    ...(imageOrigins !== undefined && { imageOrigins }),
  };
  const items = imagingItems(resources, options);
  const aiReading = readImagingResults(resources, options);
  // An AI result's report says so in the list, so it is not read as a radiologist's report.
  const aiReports = new Set(aiReading.results.map((result) => `DiagnosticReport/${result.reportId}`));
  return (
    <section aria-labelledby="imaging-heading" className="panel" data-testid="imaging">
      <h2 id="imaging-heading">Imaging</h2>
      <QueryStatus queries={queries} />
      {items.length === 0 ? (
        <p>{unreadQuery(queries, LISTED) === undefined ? "No imaging studies or reports found." : "Not known: the imaging studies or reports were not read (above)."}</p>
      ) : (
        <ul className="imaging">
          {items.map((item) => (
            <li key={item.key}>
              <span className="date">{item.date === null ? "undated" : <IsoDate date={item.date} />}</span> {item.kind}:{" "}
              {/* bdi: the server's words, which may hold right-to-left marks, must not reorder ours. */}
              {item.href === null ? (
                <bdi>{item.title}</bdi>
              ) : (
                <a href={item.href} target="_blank" rel="noopener noreferrer">
                  <bdi>{item.title}</bdi> (open in the image viewer)
                </a>
              )}
              {aiReports.has(item.key) && <span className="imaging-detail"> (imaging AI result, shown below)</span>}
              {item.detail !== null && <span className="imaging-detail"> (<bdi>{item.detail}</bdi>)</span>}
            </li>
          ))}
        </ul>
      )}
      <ImagingAiResults
        results={aiReading.results}
        skipped={aiReading.skipped}
        unread={unreadQuery(queries, AI_RESULTS) !== undefined}
        measurementsUnread={notFullyRead(queries, AI_MEASUREMENTS) !== undefined}
        headingLevel={3}
      />
    </section>
  );
}
