import { CSAE_CLASSES } from "../../shared/imaging/codes.ts";
import type { CsaeResult } from "../../shared/imaging/read-results.ts";
import { CSAE_CLASS_LABEL, percent } from "./format.ts";

/** The predicted class, every class probability as a labelled bar, and the heat map link (or why
 * there is none). */
export function CsaeProbabilities({ result }: { result: CsaeResult }) {
  return (
    <div>
      <p>
        Predicted class: <strong>{result.predicted === null ? "none" : CSAE_CLASS_LABEL[result.predicted]}</strong>
      </p>
      <ul className="iai-bars" aria-label="Class probabilities">
        {CSAE_CLASSES.map((c) => {
          const p = result.probabilities[c] ?? 0;
          return (
            <li key={c}>
              <span className="iai-bar-label">{CSAE_CLASS_LABEL[c]}</span>
              <span className="iai-bar-track" aria-hidden="true">
                <span className="iai-bar-fill" style={{ width: percent(p) }} />
              </span>
              <span className="iai-bar-value">{percent(p)}</span>
            </li>
          );
        })}
      </ul>
      {result.heatMap === null ? (
        <p className="iai-muted">No heat map was stored with this result.</p>
      ) : result.heatMap.notLinked !== null ? (
        <p className="iai-muted">Heat map not linked: {result.heatMap.notLinked}.</p>
      ) : (
        <a href={result.heatMap.url} target="_blank" rel="noopener noreferrer">
          Heat map of the regions that drove the class
          {" "}
          <span className="iai-sr-only">(opens in a new tab)</span>
        </a>
      )}
    </div>
  );
}
