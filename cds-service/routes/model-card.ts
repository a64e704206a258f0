/**
 * GET /model-card: the model card as Markdown, the default target of each card's source link,
 * so the link works wherever the service runs. Read once at startup.
 */
import { Router } from "express";
import { readFileSync } from "node:fs";
import { MODEL_DISCLAIMER } from "../../shared/assess-risk.ts";

export function modelCardRouter(modelCardPath: string): Router {
  let text: string;
  try {
    text = readFileSync(modelCardPath, "utf8");
  } catch {
    text = `# Patella Deep-KOA\n\nThe model card (${modelCardPath}) is not installed with this service.\n\n${MODEL_DISCLAIMER}\n`;
  }
  const router = Router();
  router.get("/", (_req, res) => {
    res.type("text/markdown; charset=utf-8").send(text);
  });
  return router;
}
