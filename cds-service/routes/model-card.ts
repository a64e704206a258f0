/**
 * GET /model-card: the model card, the default target of each card's source link, so the link
 * works wherever the service runs. A page a clinician can read (shared/model-card-page.ts, as the
 * app builds it), or the Markdown itself for a client that asks for text/markdown. Read and
 * rendered once at startup.
 */
import { Router } from "express";
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
  router.get("/", (_req, res) => {
    const html = () => res.type("text/html; charset=utf-8").send(page);
    res.format({ "text/html": html, "text/markdown": () => res.type("text/markdown; charset=utf-8").send(text), default: html });
  });
  return router;
}
