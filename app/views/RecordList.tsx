/** The records behind a reason or event: date, type, codes and displays. */
import type { RecordRef } from "../risk/driver-records.ts";

const SHOWN = 8;

function codingText(ref: RecordRef): string {
  const codings = ref.codings.map((c) => `${c.display ?? "(no display)"} [${c.code}]`);
  return [...new Set(codings)].join("; ") || "(no code)";
}

export function RecordList({ refs }: { refs: readonly RecordRef[] }) {
  return (
    <ul className="records">
      {refs.slice(0, SHOWN).map((ref, i) => (
        <li key={`${ref.resourceType}/${ref.id}/${i}`}>
          <span className="date">{ref.date ?? "undated"}</span> {ref.resourceType}: {codingText(ref)}
          {ref.value !== undefined && <> = {ref.value}</>}
        </li>
      ))}
      {refs.length > SHOWN && <li>and {refs.length - SHOWN} older records</li>}
    </ul>
  );
}
