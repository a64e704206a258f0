/** The parts of a CDS Hooks 2.0 card the EHR page renders, read defensively: a card comes
 * from another system and may be malformed. */

export interface Coding {
  code: string;
  system?: string;
  display?: string;
}

export interface CardLink {
  label: string;
  url: string;
  type: "absolute" | "smart";
  appContext?: string;
}

export interface Suggestion {
  label: string;
  uuid?: string;
  isRecommended?: boolean;
}

export interface Card {
  uuid?: string;
  summary: string;
  detail?: string;
  indicator: "info" | "warning" | "critical";
  source: { label: string; url?: string };
  suggestions: Suggestion[];
  selectionBehavior?: string;
  overrideReasons: Coding[];
  links: CardLink[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A card, or a reason it cannot be shown. */
export function readCard(raw: unknown): Card | { invalid: string } {
  if (!isObject(raw)) return { invalid: "card is not an object" };
  const summary = str(raw.summary);
  const indicator = str(raw.indicator);
  const source = isObject(raw.source) ? raw.source : undefined;
  if (!summary) return { invalid: "card has no summary" };
  if (indicator !== "info" && indicator !== "warning" && indicator !== "critical") return { invalid: "card has no valid indicator" };
  if (!source || !str(source.label)) return { invalid: "card has no source.label" };
  const uuid = str(raw.uuid);
  const detail = str(raw.detail);
  const sourceUrl = str(source.url);
  const selectionBehavior = str(raw.selectionBehavior);
  return {
    summary,
    indicator,
    source: { label: str(source.label) ?? "", ...(sourceUrl !== undefined && { url: sourceUrl }) },
    ...(uuid !== undefined && { uuid }),
    ...(detail !== undefined && { detail }),
    ...(selectionBehavior !== undefined && { selectionBehavior }),
    suggestions: list(raw.suggestions)
      .filter(isObject)
      .map((s) => ({ label: str(s.label) ?? "(suggestion)", ...(str(s.uuid) !== undefined && { uuid: str(s.uuid) }), isRecommended: s.isRecommended === true })),
    overrideReasons: list(raw.overrideReasons)
      .filter(isObject)
      .map((r) => ({ code: str(r.code) ?? "", ...(str(r.system) !== undefined && { system: str(r.system) }), display: str(r.display) ?? str(r.code) ?? "" })),
    links: list(raw.links)
      .filter(isObject)
      .filter((l) => str(l.url) !== undefined && (l.type === "absolute" || l.type === "smart"))
      .map((l) => ({
        label: str(l.label) ?? str(l.url) ?? "",
        url: str(l.url) ?? "",
        type: l.type as "absolute" | "smart",
        ...(str(l.appContext) !== undefined && { appContext: str(l.appContext) }),
      })),
  };
}
