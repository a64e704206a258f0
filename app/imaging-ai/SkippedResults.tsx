/** Imaging AI reports the reader could not read at all: how many, and why (one line per
 * reason), so a missing result is never silently absent from the list. */
export function SkippedResults({ skipped }: { skipped: readonly string[] }) {
  if (skipped.length === 0) return null;
  const byReason = new Map<string, number>();
  for (const reason of skipped) byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  return (
    <div className="iai-skipped" role="status" data-testid="imaging-ai-skipped">
      {[...byReason].map(([reason, n]) => (
        <p key={reason}>{`${n} ${n === 1 ? "result" : "results"} could not be read: ${reason}`}</p>
      ))}
    </div>
  );
}
