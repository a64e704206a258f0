import type { ImagingAiResult } from "../../shared/imaging/read-results.ts";
import { DatedText } from "../views/IsoDate.tsx";
import { dayOf, isAfterIndexDate } from "./format.ts";

/** Which algorithm made a result, its version and maker, and when; `indexDate` (YYYY-MM-DD), when
 * the results sit beside a risk: a result issued after it is marked, as the imaging list marks its
 * report (app/imaging/imaging-list.ts). */
export function AlgorithmLine({ result, indexDate }: { result: ImagingAiResult; indexDate?: string }) {
  const { name, version, manufacturer } = result.algorithm;
  const who = [name ?? "Unnamed algorithm", version ? `version ${version}` : "", manufacturer ? `by ${manufacturer}` : ""].filter(Boolean).join(" ");
  const images = result.studyDate ? ` (images of ${dayOf(result.studyDate)})` : "";
  const after = indexDate !== undefined && result.issued !== null && isAfterIndexDate(dayOf(result.issued), indexDate);
  return (
    <p className="iai-algorithm">
      <DatedText text={`${who}, result of ${dayOf(result.issued)}${after ? " (after the index date)" : ""}${images}`} />
    </p>
  );
}
