import type { ImagingAiResult } from "../../shared/imaging/read-results.ts";
import { DatedText } from "../views/IsoDate.tsx";
import { dayOf } from "./format.ts";

/** Which algorithm made a result, its version and maker, and when. */
export function AlgorithmLine({ result }: { result: ImagingAiResult }) {
  const { name, version, manufacturer } = result.algorithm;
  const who = [name ?? "Unnamed algorithm", version ? `version ${version}` : "", manufacturer ? `by ${manufacturer}` : ""].filter(Boolean).join(" ");
  const images = result.studyDate ? ` (images of ${dayOf(result.studyDate)})` : "";
  return (
    <p className="iai-algorithm">
      <DatedText text={`${who}, result of ${dayOf(result.issued)}${images}`} />
    </p>
  );
}
