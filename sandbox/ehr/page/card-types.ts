/** The parts of a CDS Hooks 2.0 card the EHR page renders, read defensively: a card comes
 * from another system and may be malformed, or hostile. Its links (links[].url, source.url) are
 * kept only when they are absolute http: or https: URLs: a `javascript:` URL in an href or an
 * iframe's src would run in this page. The others are dropped, and counted for the card to say. */

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
  /** The scheme (e.g. "javascript:") of each link or source.url dropped for not being http(s). */
  refusedLinks: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Why `url` is no link this page opens: its scheme (e.g. "javascript:") or "not an absolute URL";
 * undefined for an absolute http: or https: URL, as the browser's URL parser reads it.
 */
export function refusedScheme(url: string): string | undefined {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return "not an absolute URL";
  }
  return protocol === "http:" || protocol === "https:" ? undefined : protocol;
}

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
  const refusedLinks: string[] = [];
  /** The URL if it is http(s); else noted as refused. */
  const keep = (url: string): string | undefined => {
    const refused = refusedScheme(url);
    if (refused === undefined) return url;
    refusedLinks.push(refused);
    return undefined;
  };
  const rawSourceUrl = str(source.url);
  const sourceUrl = rawSourceUrl === undefined ? undefined : keep(rawSourceUrl);
  const selectionBehavior = str(raw.selectionBehavior);
  const links: CardLink[] = [];
  for (const l of list(raw.links).filter(isObject)) {
    const rawUrl = str(l.url);
    if (rawUrl === undefined || (l.type !== "absolute" && l.type !== "smart")) continue;
    const url = keep(rawUrl);
    if (url === undefined) continue;
    links.push({
      label: str(l.label) ?? rawUrl,
      url,
      type: l.type,
      ...(str(l.appContext) !== undefined && { appContext: str(l.appContext) }),
    });
  }
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
    links,
    refusedLinks,
  };
}
