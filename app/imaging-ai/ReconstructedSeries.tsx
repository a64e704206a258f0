import type { DeepResolveResult } from "../../shared/imaging/read-results.ts";

/** The thin-slice series DeepResolve made: what it is, how many slices, how thick. */
export function ReconstructedSeries({ result }: { result: DeepResolveResult }) {
  if (result.series === null) return null;
  return (
    <dl className="iai-facts">
      <dt>Series</dt>
      <dd>{result.series.description || "Reconstructed series"}</dd>
      <dt>Slices</dt>
      <dd>{result.series.sliceCount}</dd>
      <dt>Slice thickness</dt>
      <dd>{result.series.sliceThicknessMm} mm</dd>
      <dt>Reconstructed from series</dt>
      <dd className="iai-uid">{result.sourceSeriesUid}</dd>
    </dl>
  );
}
