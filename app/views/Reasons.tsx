/**
 * The reasons: the groups that raise or lower this patient's risk most (the shared occlusion
 * explanation), each with the records behind it. Which drivers are listed, and the size written
 * for each, is the card's rule (shared/shown-drivers.ts), so the app and the card agree.
 */
import { EXPLANATION_REFERENCE, type RiskDriver } from "../../shared/inference/index.ts";
import { DRIVERS_CAVEAT, effectPoints, shownDrivers } from "../../shared/shown-drivers.ts";
import type { RecordRef } from "../risk/driver-records.ts";
import { RecordList } from "./RecordList.tsx";

const SHOWN = 6;

/** A size with the direction of its change; a size that prints as zero has no direction. */
function signed(delta: number, size: string): string {
  return Number(size) === 0 ? size : `${delta > 0 ? "+" : "\u2212"}${size}`;
}

/**
 * A change of risk in percentage points, signed, e.g. "+1.2" or "\u22120.3": a what-if or a
 * month of the trend. Finer than a driver (two decimals under 0.1), so a small change still
 * shows; one too small even for that is "0.00", never a signed zero. A month of the trend changes
 * between values as written (trend-rows.ts), so by a multiple of 0.1: always one decimal there.
 */
export function formatPoints(delta: number): string {
  const points = Math.abs(delta * 100);
  return signed(delta, points.toFixed(points !== 0 && points < 0.1 ? 2 : 1));
}

/** What each factor is compared with: the explanation's own reference values, never a copy. */
const REFERENCE_HINT =
  `no record of it; age ${EXPLANATION_REFERENCE.ageYears}; BMI ${EXPLANATION_REFERENCE.bmi}; ` +
  "for sex, the average of female and male";

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
  return (
    <section aria-labelledby="reasons-heading" className="panel" data-testid="reasons">
      <h2 id="reasons-heading">Why: what raises or lowers this risk most</h2>
      <p className="hint" data-testid="reasons-hint">
        Each change is the risk minus the risk with that factor set to a neutral value ({REFERENCE_HINT}), in percentage points.
        The changes do not add up: the factors act together. {DRIVERS_CAVEAT}
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
                <strong>{d.label}</strong>: {d.detail}
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
    </section>
  );
}
