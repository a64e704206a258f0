/**
 * The reasons: the groups that raise or lower this patient's risk most (the shared occlusion
 * explanation), each with the records behind it.
 */
import type { RiskDriver } from "../../shared/inference/index.ts";
import type { RecordRef } from "../risk/driver-records.ts";
import { RecordList } from "./RecordList.tsx";

const SHOWN = 6;

/** Percentage points, signed, e.g. "+1.2" or "-0.3". */
export function formatPoints(delta: number): string {
  const points = delta * 100;
  return `${points >= 0 ? "+" : "\u2212"}${Math.abs(points).toFixed(points !== 0 && Math.abs(points) < 0.1 ? 2 : 1)}`;
}

export function Reasons({ drivers, records }: { drivers: readonly RiskDriver[]; records: ReadonlyMap<string, readonly RecordRef[]> }) {
  const shown = drivers.filter((d) => d.effect !== 0).slice(0, SHOWN);
  return (
    <section aria-labelledby="reasons-heading" className="panel" data-testid="reasons">
      <h2 id="reasons-heading">Why: what raises or lowers this risk most</h2>
      <p className="hint">
        Each change is the risk minus the risk with that factor set to a neutral value (no record of it; age 50; BMI 25), in percentage points.
        The changes do not add up: the factors act together.
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
                  {d.effect > 0 ? "Raises" : "Lowers"} {formatPoints(d.effect)} points
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
