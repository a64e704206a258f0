/**
 * The reasons: the groups that raise or lower this patient's risk most (the shared occlusion
 * explanation), each with the records behind it. Which drivers are listed, and the size written
 * for each, is the card's rule (shared/shown-drivers.ts), so the app and the card agree.
 */
import { EXPLANATION_REFERENCE, type RiskDriver } from "../../shared/inference/index.ts";
import { obeseBmiLowersEstimate } from "../../shared/obesity.ts";
import { DRIVERS_CAVEAT, DRIVERS_NOT_ADDITIVE, driverWords, effectPoints, shownDrivers } from "../../shared/shown-drivers.ts";
import type { RecordRef } from "../risk/driver-records.ts";
import { RecordList } from "./RecordList.tsx";

/** The card's four drivers (cds-service/cards/build-risk-card.ts), then two more: the app has the room. */
const SHOWN = 6;

/** A size with the direction of its change; a size that prints as zero has no direction. */
function signed(delta: number, size: string): string {
  return Number(size) === 0 ? size : `${delta > 0 ? "+" : "\u2212"}${size}`;
}

/**
 * A change of risk in percentage points, signed, e.g. "+1.2" or "\u22120.3": a what-if or a
 * month of the trend, each the difference of two risks as written (risk/written-change.ts), so a
 * multiple of 0.1 points: one decimal, and no sign on "0.0".
 */
export function formatPoints(delta: number): string {
  return signed(delta, Math.abs(delta * 100).toFixed(1));
}

/** What each factor is compared with: the explanation's own reference values, never a copy. */
const REFERENCE_HINT =
  `no record of it; age ${EXPLANATION_REFERENCE.ageYears}; BMI ${EXPLANATION_REFERENCE.bmi}; ` +
  "for sex, the average of female and male";

/** The driver's name and what the record shows (shared driverWords: never "Age: Age 78"). */
function DriverName({ driver }: { driver: RiskDriver }) {
  const { name, rest } = driverWords(driver);
  return (
    <>
      <strong>{name}</strong>
      {rest}
    </>
  );
}

export interface ReasonsProps {
  drivers: readonly RiskDriver[];
  records: ReadonlyMap<string, readonly RecordRef[]>;
  /**
   * The BMI the model used (features.demographics.bmi); null drops a BMI driver, as the card does.
   * Left out, the drivers are listed as explained (explainRisk explains BMI only when recorded).
   */
  bmi?: number | null;
}

export function Reasons({ drivers, records, bmi }: ReasonsProps) {
  const shown = shownDrivers(drivers, { bmiMissing: bmi === null }).slice(0, SHOWN);
  // The card's sentence where it suggests weight management but the model runs the other way.
  const bmiNote = bmi === undefined ? null : obeseBmiLowersEstimate(drivers, bmi);
  return (
    <section aria-labelledby="reasons-heading" className="panel" data-testid="reasons">
      <h2 id="reasons-heading">Why: what raises or lowers this risk most</h2>
      <p className="hint" data-testid="reasons-hint">
        Each change is the risk minus the risk with that factor set to a neutral value ({REFERENCE_HINT}), in percentage points.
        {" "}
        {DRIVERS_NOT_ADDITIVE} {DRIVERS_CAVEAT}
      </p>
      {shown.length === 0 ? (
        <p>No single factor changes the risk.</p>
      ) : (
        <ol className="reasons">
          {shown.map((d) => {
            const refs = records.get(d.key) ?? [];
            return (
              <li key={d.key} data-driver={d.key}>
                <span className={d.effect > 0 ? "raises" : "lowers"}>
                  {d.effect > 0 ? "Raises" : "Lowers"} {signed(d.effect, effectPoints(d.effect))} points
                </span>{" "}
                <DriverName driver={d} />
                {refs.length > 0 && (
                  <details>
                    <summary>
                      {refs.length} record{refs.length === 1 ? "" : "s"} behind this
                    </summary>
                    <RecordList refs={refs} />
                  </details>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {bmiNote !== null && <p data-testid="obese-bmi-lowers">{bmiNote}</p>}
    </section>
  );
}
