/**
 * The sandbox EHR's SMART style file (SMART App Launch, "Styling"): its token responses point
 * apps to it with smart_style_url so that an app can blend in. Colours keep AA contrast with
 * each other, as a real EHR's should; the SMART app checks them anyway (app/smart/ehr-style.ts).
 */
import cors from "cors";
import type { RequestHandler } from "express";

export const SMART_STYLE_PATH = "/smart-style.json";

const SANDBOX_SMART_STYLE = {
  color_background: "#f3f5f9",
  color_text: "#1a2330",
  color_highlight: "#0b4f8a",
  color_error: "#a4161a",
  color_success: "#1b6b3a",
  color_modal_backdrop: "",
  dim_border_radius: "4px",
  dim_font_size: "15px",
  dim_spacing_size: "16px",
  font_family_body: "'DejaVu Sans', Verdana, sans-serif",
  font_family_heading: "'DejaVu Serif', Georgia, serif",
} as const;

/** GET, with CORS: apps on other origins fetch it from the browser. */
export const smartStyleHandlers: RequestHandler[] = [cors(), (_req, res) => void res.json(SANDBOX_SMART_STYLE)];
