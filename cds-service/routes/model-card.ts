/**
 * GET /model-card: the model card, the default target of each card's source link, so the link
 * works wherever the service runs. A page a clinician can read (shared/model-card-page.ts, as the
 * app builds it), or the Markdown itself for a client that asks for text/markdown. Read and
 * rendered once at startup.
 */
import { Router } from "express";
import helmet from "helmet";
import { readFileSync } from "node:fs";
import { MODEL_DISCLAIMER } from "../../shared/assess-risk.ts";
import { modelCardPage } from "../../shared/model-card-page.ts";

export function modelCardRouter(modelCardPath: string): Router {
  let text: string;
  try {
    text = readFileSync(modelCardPath, "utf8");
  } catch {
    text = `# Patella Deep-KOA\n\nThe model card (${modelCardPath}) is not installed with this service.\n\n${MODEL_DISCLAIMER}\n`;
  }
  const page = modelCardPage(text, MODEL_DISCLAIMER);
  const router = Router();
  // EHRs often open a card's source link in a frame of their own page (CDS Hooks: the source URL
  // is shown "in a browser context"). The page is a document with no action on it, so framing it
  // anywhere risks no clickjacking: the service-wide helmet's frame-ancestors 'self' and
  // X-Frame-Options are lifted here only (helmet's other CSP directives stay).
  router.use(helmet.contentSecurityPolicy({ directives: { frameAncestors: ["*"] } }), (_req, res, next) => {
    res.removeHeader("X-Frame-Options");
    next();
  });
  router.get("/", (_req, res) => {
    const html = () => res.type("text/html; charset=utf-8").send(page);
    res.format({ "text/html": html, "text/markdown": () => res.type("text/markdown; charset=utf-8").send(text), default: html });
  });
  return router;
}
