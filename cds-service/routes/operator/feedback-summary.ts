/**
 * GET /operator/feedback-summary: accept and override rates per reason and tier, for the
 * operator only (bearer token from config, compared in constant time). Not an EHR endpoint,
 * so it does not take EHR JWTs; without a configured token it does not exist.
 */
import { Router } from "express";
import { createHash, timingSafeEqual } from "node:crypto";
import type { FeedbackStore } from "../../feedback/feedback-store.ts";
import { summaryOf } from "../../feedback/summarize.ts";
import { HttpError } from "../../http/operation-outcome.ts";

const digest = (s: string): Buffer => createHash("sha256").update(s).digest();

export function feedbackSummaryRouter(store: FeedbackStore, operatorToken: string): Router {
  const expected = digest(operatorToken);
  const router = Router();
  router.get("/", async (req, res) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "");
    // Hashing first makes both sides the same length, so the comparison leaks nothing.
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      throw new HttpError(401, "login", "Unauthorized");
    }
    res.json(await summaryOf(store));
  });
  return router;
}
