/**
 * smart_style_url: the EHR's style hints (SMART App Launch, "Styling"). The app takes the font
 * family only: colours from an EHR could break the contrast the app is checked for, and the
 * app's palette is chosen to be readable with colour-blindness.
 */
export async function applyEhrStyle(styleUrl: string, root: HTMLElement): Promise<void> {
  const response = await fetch(styleUrl);
  if (!response.ok) return;
  const style = (await response.json().catch(() => ({}))) as { font_family_body?: unknown };
  if (typeof style.font_family_body === "string" && /^[\w\s,"'-]+$/.test(style.font_family_body)) {
    root.style.setProperty("--font-body", style.font_family_body);
  }
}
