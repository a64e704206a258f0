/**
 * smart_style_url: the EHR's style hints (SMART App Launch, "Styling"), applied as the CSS
 * variables app.css is written with, so the app looks like part of the EHR. The app still owns
 * its readability: an EHR colour is taken only if text keeps WCAG AA contrast (4.5:1) on every
 * surface it is drawn on, and the tier and driver colours (the colour-blind-safe palette) are
 * never replaced. Anything missing, malformed or failing is ignored: the app's own style stays.
 */
import { contrastRatio, isHexColour } from "./contrast.ts";

/** WCAG 2.1 AA for normal text. */
const AA = 4.5;
/** The app's own surfaces (app.css): panels, patient banner, disclaimer and the page itself. */
const APP_SURFACES = ["#f6f8fa", "#e8eef5", "#fff3cd", "#ffffff"] as const;
const FONT_FAMILY = /^[\w\s,"'-]+$/;
const LENGTH = /^\d+(\.\d+)?(px|rem|em)$/;

/** The CSS variables (name to value) the style file asks for that keep the app readable. */
export function ehrStyleVariables(style: unknown): Record<string, string> {
  if (typeof style !== "object" || style === null) return {};
  const s = style as Record<string, unknown>;
  const variables: Record<string, string> = {};
  if (typeof s.font_family_body === "string" && FONT_FAMILY.test(s.font_family_body)) variables["--font-body"] = s.font_family_body;
  if (typeof s.font_family_heading === "string" && FONT_FAMILY.test(s.font_family_heading)) variables["--font-heading"] = s.font_family_heading;
  if (typeof s.dim_border_radius === "string" && LENGTH.test(s.dim_border_radius)) variables["--radius"] = s.dim_border_radius;
  const background = isHexColour(s.color_background) ? s.color_background : "#ffffff";
  const surfaces = [background, ...APP_SURFACES];
  const readable = (colour: unknown): colour is string => isHexColour(colour) && surfaces.every((surface) => contrastRatio(colour, surface) >= AA);
  const text = readable(s.color_text) ? s.color_text : undefined;
  // The page background only with a text colour that reads on it (the app's own text may not).
  if (isHexColour(s.color_background) && text !== undefined) variables["--page"] = s.color_background;
  if (text !== undefined) variables["--text"] = text;
  if (readable(s.color_highlight)) variables["--link"] = s.color_highlight;
  return variables;
}

export async function applyEhrStyle(styleUrl: string, root: HTMLElement): Promise<void> {
  const response = await fetch(styleUrl);
  if (!response.ok) return;
  const variables = ehrStyleVariables(await response.json().catch(() => undefined));
  for (const [name, value] of Object.entries(variables)) root.style.setProperty(name, value);
}
