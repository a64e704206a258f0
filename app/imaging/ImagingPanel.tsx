/**
 * The patient's imaging: ImagingStudy and DiagnosticReport resources, newest first, each linked
 * to its resource on the FHIR server, and beside them the imaging AI results that
 * shared/imaging's reader finds in the same resources.
 */
import type { DiagnosticReport, ImagingStudy, Resource } from "fhir/r4";
import { dayToIsoDate, parseFhirDay } from "../../shared/fhir-dates.ts";
import { readImagingResults } from "../../shared/imaging/read-results.ts";
import type { LoadedQuery } from "../data/load-record.ts";
import { ImagingAiResults } from "../imaging-ai/ImagingAiResults.tsx";
import "../imaging-ai/imaging-ai.css";
import { QueryStatus } from "../views/QueryStatus.tsx";

interface ImagingItem {
  key: string;
  date: string | null;
  kind: string;
  title: string;
  href: string;
}

function title(resource: Resource): string {
  if (resource.resourceType === "ImagingStudy") {
    const study = resource as ImagingStudy;
    const modality = study.modality?.map((m) => m.code).join(", ");
    return study.description ?? study.procedureCode?.[0]?.text ?? (modality ? `${modality} study` : "Imaging study");
  }
  const report = resource as DiagnosticReport;
  return report.code?.text ?? report.code?.coding?.[0]?.display ?? "Diagnostic report";
}

/** When the images were taken or the report made. (shared/record-dates.ts leaves imaging
 * undated on purpose: it dates only what the risk model reads.) */
function imagingDay(resource: Resource): number | null {
  const value =
    resource.resourceType === "ImagingStudy"
      ? (resource as ImagingStudy).started
      : ((resource as DiagnosticReport).effectiveDateTime ?? (resource as DiagnosticReport).issued);
  return value === undefined ? null : parseFhirDay(value);
}

export function imagingItems(resources: readonly Resource[], fhirBaseUrl: string): ImagingItem[] {
  return resources
    .filter((r) => r.resourceType === "ImagingStudy" || r.resourceType === "DiagnosticReport")
    .map((r) => {
      const day = imagingDay(r);
      return {
        key: `${r.resourceType}/${r.id}`,
        date: day === null ? null : dayToIsoDate(day),
        kind: r.resourceType === "ImagingStudy" ? "Study" : "Report",
        title: title(r),
        href: `${fhirBaseUrl.replace(/\/$/, "")}/${r.resourceType}/${encodeURIComponent(r.id ?? "")}`,
      };
    })
    .sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""));
}

interface ImagingPanelProps {
  resources: readonly Resource[];
  queries: readonly LoadedQuery[];
  fhirBaseUrl: string;
  /** shared/imaging/viewer-url.ts template; without one the results have no viewer link. */
  viewerUrlTemplate?: string;
}

export function ImagingPanel({ resources, queries, fhirBaseUrl, viewerUrlTemplate }: ImagingPanelProps) {
  const items = imagingItems(resources, fhirBaseUrl);
  const aiReading = readImagingResults(resources, viewerUrlTemplate === undefined ? {} : { viewerUrlTemplate });
  return (
    <section aria-labelledby="imaging-heading" className="panel" data-testid="imaging">
      <h2 id="imaging-heading">Imaging</h2>
      <QueryStatus queries={queries} />
      {items.length === 0 ? (
        <p>No imaging studies or reports found.</p>
      ) : (
        <ul className="imaging">
          {items.map((item) => (
            <li key={item.key}>
              <span className="date">{item.date ?? "undated"}</span> {item.kind}:{" "}
              <a href={item.href} target="_blank" rel="noopener">
                {item.title}
              </a>
            </li>
          ))}
        </ul>
      )}
      <ImagingAiResults results={aiReading.results} skipped={aiReading.skipped} headingLevel={3} />
    </section>
  );
}
