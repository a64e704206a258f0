import { clipped } from "./clipped-text.ts";

/**
 * What a FHIR server's OperationOutcome says, issue by issue, for an error message: each issue's
 * `diagnostics`, else its `details.text`, else its `code` (the only words some servers give).
 * An error body is untrusted JSON: anything that is not an OperationOutcome with an array of
 * issues, and any of those fields that is not text, gives nothing rather than an exception.
 */
export function outcomeIssueTexts(body: unknown): string[] {
  if (typeof body !== "object" || body === null) return [];
  const { resourceType, issue } = body as { resourceType?: unknown; issue?: unknown };
  if (resourceType !== "OperationOutcome" || !Array.isArray(issue)) return [];
  const texts: string[] = [];
  for (const entry of issue as unknown[]) {
    if (typeof entry !== "object" || entry === null) continue;
    const { diagnostics, details, code } = entry as { diagnostics?: unknown; details?: { text?: unknown } | null; code?: unknown };
    const text = [diagnostics, details?.text, code].find((t): t is string => typeof t === "string" && t.trim() !== "");
    if (text !== undefined) texts.push(text);
  }
  return texts;
}

/** The issues' words in one line ("; "), clipped at `max` characters (clipped-text.ts), or
 * undefined when the body says nothing. */
export function outcomeSummary(body: unknown, max: number): string | undefined {
  const texts = outcomeIssueTexts(body);
  return texts.length === 0 ? undefined : clipped(texts.join("; "), max);
}
