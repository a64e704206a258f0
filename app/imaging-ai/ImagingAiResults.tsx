/**
 * Imaging AI results of one patient, as pure markup: grouped by system, newest first, each with
 * its algorithm, date, key values and viewer link (without a viewer at the site, said once above
 * the results rather than under each); invalid results are shown as invalid, with
 * none of their numbers (or, when their measurements were not read, say that instead), and
 * reports that could not be read at all are counted with the reason.
 * The data comes in as props (read with shared/imaging's reader).
 */
import { KIND_TITLE } from "../../shared/imaging/algorithms.ts";
import { type ImagingAiResult, groupByKind } from "../../shared/imaging/read-results.ts";
import { AlgorithmLine } from "./AlgorithmLine.tsx";
import { CsaeProbabilities } from "./CsaeProbabilities.tsx";
import { InvalidResult } from "./InvalidResult.tsx";
import { KlGrades } from "./KlGrades.tsx";
import { MeasurementsUnread } from "./MeasurementsUnread.tsx";
import { ReconstructedSeries } from "./ReconstructedSeries.tsx";
import { SkippedResults } from "./SkippedResults.tsx";
import { SvhScores } from "./SvhScores.tsx";
import { ViewerLink } from "./ViewerLink.tsx";

function Values({ result }: { result: ImagingAiResult }) {
  switch (result.kind) {
    case "kl":
      return <KlGrades result={result} />;
    case "svh":
      return <SvhScores result={result} />;
    case "csae":
      return <CsaeProbabilities result={result} />;
    case "deepresolve":
      return <ReconstructedSeries result={result} />;
  }
}

/** The card's body: its values, or why they are not shown. Without the imaging Observations the
 * reader finds a report's results missing, and through them its algorithm Device: the result
 * cannot be checked at all, so it is not called invalid for what was not read. */
function ResultBody({ result, measurementsUnread }: { result: ImagingAiResult; measurementsUnread: boolean }) {
  if (result.problems.length === 0) return <Values result={result} />;
  return measurementsUnread ? <MeasurementsUnread /> : <InvalidResult problems={result.problems} />;
}

function ResultCard({ result, measurementsUnread, indexDate, viewerConfigured }: { result: ImagingAiResult; measurementsUnread: boolean; indexDate: string | undefined; viewerConfigured: boolean }) {
  const invalid = result.problems.length > 0 && !measurementsUnread;
  return (
    <article className={invalid ? "iai-result iai-result-invalid" : "iai-result"} data-testid={`imaging-ai-${result.reportId}`}>
      <AlgorithmLine result={result} {...(indexDate !== undefined && { indexDate })} />
      <ResultBody result={result} measurementsUnread={measurementsUnread} />
      {viewerConfigured && <ViewerLink url={result.viewerUrl} label={result.kind === "deepresolve" ? "Open the reconstructed series in the viewer" : undefined} />}
    </article>
  );
}

interface ImagingAiResultsProps {
  results: readonly ImagingAiResult[];
  /** The site has an image viewer (patella-app.json's imagingViewerUrl). Without one no result
   * links to its images, which is the site's setting, not the study's: said once, not under each. */
  viewerConfigured: boolean;
  /** The reader's `skipped`: reports it could not read, with the reason. */
  skipped?: readonly string[];
  /** A query the results are read from was not loaded: none found is then not known. */
  unread?: boolean;
  /** The imaging Observations (the results' measurements) were not read, or only in part. */
  measurementsUnread?: boolean;
  /** The index date of the risk beside them (YYYY-MM-DD): a result issued after it is marked. */
  indexDate?: string;
  headingLevel?: 2 | 3;
}

export function ImagingAiResults({ results, viewerConfigured, skipped = [], unread = false, measurementsUnread = false, indexDate, headingLevel = 2 }: ImagingAiResultsProps) {
  const Heading = `h${headingLevel}` as const;
  const Sub = `h${headingLevel + 1}` as "h3" | "h4";
  const groups = groupByKind(results);
  return (
    <section className="iai" aria-labelledby="iai-heading">
      <Heading id="iai-heading">Imaging AI results</Heading>
      <p className="iai-muted">Produced by imaging algorithms, not read by a radiologist unless a report says so.</p>
      <SkippedResults skipped={skipped} />
      {groups.length > 0 && !viewerConfigured && (
        <p className="iai-muted" data-testid="no-image-viewer">
          No image viewer is configured for this site, so studies are listed without links to their images.
        </p>
      )}

      {groups.length === 0 ? (
        <p>{unread ? "Not known: the imaging AI results were not read (above)." : "No imaging AI results for this patient."}</p>
      ) : (
        groups.map((g) => (
          <section key={g.kind} aria-labelledby={`iai-${g.kind}`}>
            <Sub id={`iai-${g.kind}`}>{KIND_TITLE[g.kind]}</Sub>
            {g.results.map((r) => (
              <ResultCard key={r.reportId} result={r} measurementsUnread={measurementsUnread} indexDate={indexDate} viewerConfigured={viewerConfigured} />
            ))}
          </section>
        ))
      )}
    </section>
  );
}
