/** Data quality: history length, the latest entry, BMI, what was skipped or dropped and why, codes
 * not recognised. */
import { useMemo } from "react";
import type { PatientFeatures } from "../../shared/features/types.ts";
import { NOT_MODEL_INPUT_REASON } from "../../shared/model-input.ts";
import { latestEntryBefore } from "../../shared/record-currency.ts";
import { codeDisplays } from "../data/code-displays.ts";
import { bodyMeasuresUnread, type LoadedRecord, riskInput, riskQueries } from "../data/load-record.ts";
import { formatBmi } from "../risk/what-if.ts";
import { IsoDate } from "./IsoDate.tsx";
import { QueryStatus } from "./QueryStatus.tsx";

const SHOWN_CODES = 10;
/** What the model skipped and did not recognise is known only once it has read the record. */
const NOT_READ = "Not known: no risk was computed, so the model did not read the record.";
/** Records used where the record was read but no risk computed (already diagnosed, the model does not apply). */
const NO_RISK_USED = "none, since no risk is computed for this patient (see the risk above)";

/** What the loaded queries set aside: records dropped as another patient's, by type and reason,
 * and records the model does not read (a server that ignored `code`). */
function setAsideCounts(record: LoadedRecord): { dropped: [string, number][]; notModelInput: number } {
  const dropped = new Map<string, number>();
  let notModelInput = 0;
  for (const q of record.queries) {
    if (q.outcome.status !== "loaded") continue;
    for (const [reason, n] of Object.entries(q.outcome.dropped)) {
      const key = `${q.query.resourceType}: ${reason}`;
      dropped.set(key, (dropped.get(key) ?? 0) + n);
    }
    notModelInput += q.outcome.notModelInput;
  }
  return { dropped: [...dropped], notModelInput };
}

/** The model-input queries not loaded: what they would have skipped is not known. */
function unreadInputs(record: LoadedRecord): string | undefined {
  const unread = riskQueries(record).filter((q) => q.query.use === "model-input" && q.outcome.status !== "loaded");
  if (unread.length === 0) return undefined;
  const names = unread.map((q) => `${q.query.label} (${q.query.resourceType})`);
  return names.length === 1 ? `the ${names[0]}` : `the ${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The codes no value set matched, most frequent first, and the record's displays of those shown. */
function unrecognisedCodes(record: LoadedRecord, features: PatientFeatures | undefined): { unmapped: [string, number][]; displays: Map<string, string> } {
  const unmapped = Object.entries(features?.quality.unmappedCodes ?? {}).sort((a, b) => b[1] - a[1]);
  const shown = new Set(unmapped.slice(0, SHOWN_CODES).map(([code]) => code));
  return { unmapped, displays: shown.size === 0 ? new Map() : codeDisplays(riskInput(record).resources, shown) };
}

export function DataQuality({ record, features }: { record: LoadedRecord; features?: PatientFeatures }) {
  const { dropped, notModelInput } = setAsideCounts(record);
  const skipped = Object.entries(features?.quality.skipped ?? {});
  const unread = unreadInputs(record);
  // A walk of the whole record: once per record and features, not at every render of the app.
  const { unmapped, displays } = useMemo(() => unrecognisedCodes(record, features), [record, features]);
  // How current the record the model read is, by the card's rule's own days (shared/record-currency.ts).
  const latestEntry = useMemo(() => (features === undefined ? null : latestEntryBefore(riskInput(record).resources, features.indexDate)), [record, features]);
  const shownCodes = unmapped.slice(0, SHOWN_CODES);
  const d = features?.demographics;
  return (
    <section aria-labelledby="quality-heading" className="panel" data-testid="data-quality">
      <h2 id="quality-heading">Data quality</h2>
      <QueryStatus queries={riskQueries(record)} />
      {d !== undefined && features !== undefined && (
        <ul>
          <li>History before the index date: {d.historyYears.toFixed(1)} years (the model looks at up to 3).</li>
          <li data-testid="latest-entry">
            Latest entry the model reads before the index date: {latestEntry === null ? "none dated" : <IsoDate date={latestEntry} />}.
          </li>
          <li>
            {d.bmi === null
              ? bodyMeasuresUnread(record.queries) === undefined
                ? "No BMI, weight and height recorded before the index date."
                : "BMI, weight and height: not known, since they could not be read in full."
              : <>Latest BMI {formatBmi(d.bmi)}{d.bmiDate !== undefined && <> on <IsoDate date={d.bmiDate} /></>}.</>}
          </li>
          <li data-testid="records-used">
            {/* The builder counts the records it would use, but without a risk (already diagnosed, the
                model does not apply) the model used none: a count there reads as records behind a risk. */}
            Records used: {features.eligibility.eligible ? features.quality.resourcesUsed : NO_RISK_USED}; dated on or after the index date and ignored:{" "}
            {features.quality.ignoredOnOrAfterIndex}.
          </li>
        </ul>
      )}
      <h3>Skipped records</h3>
      {features === undefined && <p>{NOT_READ}</p>}
      {features !== undefined && unread !== undefined && <p>Not known for {unread}: they could not be read (above).</p>}
      {skipped.length + dropped.length === 0 && notModelInput === 0 ? (
        features !== undefined && <p>{unread === undefined ? "None." : "None among the records read."}</p>
      ) : (
        <ul data-testid="skipped">
          {dropped.map(([reason, n]) => (
            <li key={reason}>
              {n} dropped as not this patient's ({reason})
            </li>
          ))}
          {notModelInput > 0 && (
            <li>
              {notModelInput} not used by the model ({NOT_MODEL_INPUT_REASON}; the FHIR server returned more than the query asked for)
            </li>
          )}
          {skipped.map(([reason, n]) => (
            <li key={reason}>
              {n} skipped: {reason}
            </li>
          ))}
        </ul>
      )}
      <h3>Codes not recognised</h3>
      {features === undefined ? (
        <p>{NOT_READ}</p>
      ) : unmapped.length === 0 ? (
        <p>None: every code matched a value set or was not needed.</p>
      ) : (
        <>
          <p>
            {unmapped.length === 1
              ? "1 code matches no value set of the model, so the model cannot use it:"
              : `${unmapped.length} codes match no value set of the model, so the model cannot use them:`}
          </p>
          <ul className="codes">
            {shownCodes.map(([code, n]) => (
              <li key={code}>
                {displays.has(code) && <>{displays.get(code)} </>}
                <code>{code}</code> ({n}x)
              </li>
            ))}
            {unmapped.length > SHOWN_CODES && <li>and {unmapped.length - SHOWN_CODES} more</li>}
          </ul>
        </>
      )}
    </section>
  );
}
