/** The clinician's view of one patient: every section renders from usePatientView's state. */
import { useCallback } from "react";
import { bodyMeasuresUnread, imagingResources } from "./data/load-record.ts";
import { usePatientView } from "./hooks/use-patient-view.ts";
import { ImagingPanel } from "./imaging/ImagingPanel.tsx";
import type { BrowserModels } from "./risk/browser-models.ts";
import { riskWithBmi } from "../shared/what-if-bmi.ts";
import { SessionLostError, type SmartSession } from "./smart/session.ts";
import { DataQuality } from "./views/DataQuality.tsx";
import { LaunchDetails } from "./views/LaunchDetails.tsx";
import { ModelInfo } from "./views/ModelInfo.tsx";
import { PatientBanner } from "./views/PatientBanner.tsx";
import { Reasons } from "./views/Reasons.tsx";
import { RiskSummary } from "./views/RiskSummary.tsx";
import { SectionBoundary } from "./views/SectionBoundary.tsx";
import { SessionLost } from "./views/SessionLost.tsx";
import { TrendSection } from "./views/TrendSection.tsx";
import { WhatIf } from "./views/WhatIf.tsx";

export interface AppProps {
  session: SmartSession;
  models: Promise<BrowserModels>;
  modelCardUrl: string;
  /** The runtime config's image viewer URL template, if the site has one. */
  imagingViewerUrl?: string;
  /** patella-app.json's imagingImageOrigins: where a heat map may be linked. */
  imagingImageOrigins?: readonly string[];
}

export function App({ session, models, modelCardUrl, imagingViewerUrl, imagingImageOrigins }: AppProps) {
  const view = usePatientView(session, models);
  const record = view.record.status === "done" ? view.record.value : undefined;
  const { input } = view;
  const assessment = view.assessment.status === "done" && view.assessment.value !== "missing-required" ? view.assessment.value : undefined;
  const probability = assessment?.result.probability;
  const bmiUnread = input === undefined ? undefined : bodyMeasuresUnread(input.unavailable);

  const whatIf = useCallback(
    async (bmi: number) => {
      const start = performance.now();
      const answer = await riskWithBmi((await models).risk, input?.resources ?? [], session.patientId, session.indexDate, bmi);
      performance.measure("patella:what-if", { start, end: performance.now() });
      return answer;
    },
    [models, input, session],
  );

  // The server no longer takes the token: nothing of the record can be shown, and the session
  // is already cleared (data/load-record.ts), so the page is the one a reload would show.
  if (view.record.status === "failed" && view.record.error instanceof SessionLostError) return <SessionLost message={view.record.error.message} />;

  const state = view.record.status === "failed" ? "error" : view.assessment.status === "pending" ? "loading" : "ready";
  return (
    <>
      {session.needPatientBanner && (
        <SectionBoundary name="The patient banner">
          <PatientBanner {...(view.patient !== undefined && { patient: view.patient })} />
        </SectionBoundary>
      )}
      <main id="app" data-state={state} className="layout">
        {view.record.status === "failed" ? (
          <p role="alert">The record could not be read: {view.record.error.message}</p>
        ) : (
          <>
            <SectionBoundary name="The risk">
              <RiskSummary state={view.assessment} missing={input?.missingRequired ?? []} unavailable={input?.unavailable ?? []} />
            </SectionBoundary>
            {assessment !== undefined && probability !== undefined && (
              <SectionBoundary name="The what-if">
                <WhatIf
                  probability={probability}
                  bmi={assessment.result.features.demographics.bmi}
                  {...(assessment.result.features.demographics.bmiDate !== undefined && { bmiDate: assessment.result.features.demographics.bmiDate })}
                  {...(bmiUnread !== undefined && { bmiUnread })}
                  compute={whatIf}
                />
              </SectionBoundary>
            )}
            {assessment?.result.drivers !== undefined && (
              <SectionBoundary name="The reasons">
                <Reasons drivers={assessment.result.drivers} records={view.driverRecords} bmi={assessment.result.features.demographics.bmi} />
              </SectionBoundary>
            )}
            <SectionBoundary name="The trend">
              <TrendSection state={view.trend} />
            </SectionBoundary>
            {record !== undefined && (
              <SectionBoundary name="The imaging results">
                <ImagingPanel
                  resources={imagingResources(record)}
                  queries={record.queries.filter((q) => q.query.use === "imaging")}
                  indexDate={session.indexDate}
                  {...(imagingViewerUrl !== undefined && { viewerUrlTemplate: imagingViewerUrl })}
                  {...(imagingImageOrigins !== undefined && { imageOrigins: imagingImageOrigins })}
                />
              </SectionBoundary>
            )}
            {record !== undefined && (
              <SectionBoundary name="The data quality section">
                <DataQuality record={record} {...(assessment !== undefined && { features: assessment.result.features })} />
              </SectionBoundary>
            )}
          </>
        )}
        <ModelInfo
          model={view.model}
          indexDate={session.indexDate}
          indexDateSource={session.indexDateSource}
          modelCardUrl={modelCardUrl}
        />
        <LaunchDetails session={session} />
      </main>
    </>
  );
}
