/**
 * The patient's imaging: ImagingStudy resources and imaging DiagnosticReports (imaging-list.ts),
 * newest first, a study linked to the site's image viewer when one is configured
 * (shared/imaging/viewer-url.ts), a report with its conclusion; and beside them the imaging AI
 * results that shared/imaging's reader finds in the same resources. Nothing links to the FHIR
 * server itself: a browser opens such a link without the app's token, and the clinician sees an
 * authorization error.
 */
import type { Resource } from "fhir/r4";
import { type ReadOptions, readImagingResults, studyViewerUrls } from "../../shared/imaging/read-results.ts";
import { type LoadedQuery, notFullyRead, unreadQuery } from "../data/load-record.ts";
import { ImagingAiResults } from "../imaging-ai/ImagingAiResults.tsx";
import "../imaging-ai/imaging-ai.css";
import { IsoDate } from "../views/IsoDate.tsx";
import { QueryStatus } from "../views/QueryStatus.tsx";
import { imagingList } from "./imaging-list.ts";

/** The queries the study list is made of, and those an imaging AI result needs (its report and measurements). */
const LISTED = ["imagingStudies", "diagnosticReports"];
const AI_RESULTS = ["diagnosticReports", "imagingObservations"];
/** The query of the results' measurements (the reports' result Observations). */
const AI_MEASUREMENTS = ["imagingObservations"];

interface ImagingPanelProps {
  resources: readonly Resource[];
  queries: readonly LoadedQuery[];
  /** The index date of the risk shown (YYYY-MM-DD): newer entries are marked. */
  indexDate: string;
  /** shared/imaging/viewer-url.ts template; without one the results have no viewer link. */
  viewerUrlTemplate?: string;
  /** The site's image servers' origins: with the viewer's, the only ones a heat map is linked on. */
  imageOrigins?: readonly string[];
}

/** What the panel says of the reports it leaves out for a category that may hide imaging. */
function uncodedNote(count: number): string {
  return count === 1
    ? "1 other report is not listed: its category does not say whether it is an imaging report (see the EHR)."
    : `${count} other reports are not listed: their category does not say whether they are imaging reports (see the EHR).`;
}

export function ImagingPanel({ resources, queries, indexDate, viewerUrlTemplate, imageOrigins }: ImagingPanelProps) {
  const options: ReadOptions = {
    ...(viewerUrlTemplate !== undefined && { viewerUrlTemplate }),
    ...(imageOrigins !== undefined && { imageOrigins }),
  };
  // The reader gets every resource, whatever the list keeps: an AI result needs its report as sent.
  const aiReading = readImagingResults(resources, options);
  // An AI result's report says so in the list, so it is not read as a radiologist's report.
  const aiReports = new Set(aiReading.results.map((result) => `DiagnosticReport/${result.reportId}`));
  const { items, uncodedReports } = imagingList(resources, aiReports, indexDate);
  const viewerUrls = studyViewerUrls(resources, options);
  return (
    <section aria-labelledby="imaging-heading" className="panel" data-testid="imaging">
      <h2 id="imaging-heading">Imaging</h2>
      <QueryStatus queries={queries} />
      {items.length === 0 ? (
        <p>{unreadQuery(queries, LISTED) === undefined ? "No imaging studies or reports found." : "Not known: the imaging studies or reports were not read (above)."}</p>
      ) : (
        <>
          {items.some((item) => item.afterIndexDate) && (
            <p className="hint" data-testid="imaging-after-index">
              Entries marked &ldquo;after the index date&rdquo; are newer than the date the risk is for (<IsoDate date={indexDate} />).
            </p>
          )}
          <ul className="imaging">
            {items.map((item) => {
              const href = viewerUrls.get(item.key);
              return (
                <li key={item.key}>
                  <span className="date">
                    {item.date === null ? "undated" : <IsoDate date={item.date} />}
                    {item.afterIndexDate && " (after the index date)"}
                  </span>{" "}
                  {item.kind}:{" "}
                  {/* bdi: the server's words, which may hold right-to-left marks, must not reorder ours. */}
                  {href === undefined ? (
                    <bdi>{item.title}</bdi>
                  ) : (
                    <a href={href} target="_blank" rel="noopener noreferrer">
                      <bdi>{item.title}</bdi> (open in the image viewer)
                    </a>
                  )}
                  {aiReports.has(item.key) && <span className="imaging-detail"> (imaging AI result, shown below)</span>}
                  {item.detail !== null && <span className="imaging-detail"> (<bdi>{item.detail}</bdi>)</span>}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {uncodedReports > 0 && (
        <p className="hint" data-testid="imaging-uncoded">
          {uncodedNote(uncodedReports)}
        </p>
      )}
      <ImagingAiResults
        results={aiReading.results}
        viewerConfigured={viewerUrlTemplate !== undefined}
        skipped={aiReading.skipped}
        unread={unreadQuery(queries, AI_RESULTS) !== undefined}
        measurementsUnread={notFullyRead(queries, AI_MEASUREMENTS) !== undefined}
        indexDate={indexDate}
        headingLevel={3}
      />
    </section>
  );
}
