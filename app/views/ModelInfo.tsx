/** Which model answered, the synthetic-data disclaimer, and the model card. */
import { MODEL_DISCLAIMER } from "../../shared/assess-risk.ts";
import type { RiskModelInfo } from "../../shared/inference/index.ts";
import type { AsyncState } from "../hooks/use-async.ts";
import type { IndexDateSource } from "../smart/session.ts";
import { IsoDate } from "./IsoDate.tsx";

const SOURCE_TEXT: Readonly<Record<IndexDateSource, string>> = {
  card: "the date of the CDS card that opened the app",
  "launch-link": "the date of the CDS card that opened the app, from its launch link: the EHR sent no appContext",
  today: "today in UTC, as the CDS service dates its cards",
};

export function ModelInfo({ model, indexDate, indexDateSource, modelCardUrl }: { model: AsyncState<RiskModelInfo>; indexDate: string; indexDateSource: IndexDateSource; modelCardUrl: string }) {
  return (
    <section aria-labelledby="model-heading" className="panel" data-testid="model-info">
      <h2 id="model-heading">About this estimate</h2>
      <ul>
        <li data-testid="model-version">
          Model:{" "}
          {model.status === "pending" ? "loading..." : model.status === "failed" ? `could not be loaded (${model.error.message})` : <>{model.value.name} {model.value.version} (features {model.value.specVersion}, trained <IsoDate date={model.value.trainedAt.slice(0, 10)} />)</>}
        </li>
        <li>
          Index date <IsoDate date={indexDate} /> ({SOURCE_TEXT[indexDateSource]}): a risk shown is for the year from that date, from the record before it.
        </li>
        <li>
          <a href={modelCardUrl} target="_blank" rel="noopener noreferrer">
            Model card: intended use, metrics and limits
          </a>
        </li>
      </ul>
      <p className="disclaimer">{MODEL_DISCLAIMER}</p>
    </section>
  );
}
