/**
 * POST /cds-services/koa-risk/feedback: store what the clinician did with each card, after
 * checking it against the card as issued to this EHR (feedback/check-feedback.ts). A repeated
 * call is answered 200 again and stores nothing new; a later `accepted` naming other suggestions
 * of the card adds them to its accepted ones; feedback contradicting the card's recorded
 * decision (accepted against overridden, or another override reason) is 409 and nothing of the
 * call is stored (feedback/feedback-store.ts, recordFeedback).
 */
import { Router } from "express";
import { checkFeedback } from "../../../feedback/check-feedback.ts";
import { FeedbackConflict, type FeedbackStore } from "../../../feedback/feedback-store.ts";
import { methodNotAllowed } from "../../../http/error-handler.ts";
import { HttpError } from "../../../http/operation-outcome.ts";
import { addLogFields } from "../../../http/request-log.ts";
import { FeedbackRequestSchema } from "../../../schemas/feedback-request.ts";
import { describeZodError } from "../../../schemas/hook-request.ts";
import { callerIssuer } from "../../../security/require-ehr-jwt.ts";
import { KOA_RISK_SERVICE_ID } from "./definition.ts";

export function koaRiskFeedbackRouter(store: FeedbackStore, now: () => Date): Router {
  const router = Router();
  router.post("/", async (req, res) => {
    const parsed = FeedbackRequestSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, "invalid", `Invalid feedback: ${describeZodError(parsed.error)}`);
    const items = parsed.data.feedback;
    const issuer = callerIssuer(res.locals).iss;
    const issued = await store.issuedCards(issuer, [...new Set(items.map((i) => i.card))]);
    const records = checkFeedback(items, issued, { serviceId: KOA_RISK_SERVICE_ID, issuer, receivedAt: now().toISOString() });
    try {
      const { stored, repeated } = await store.recordFeedback(records);
      addLogFields(res.locals, { feedbackItems: stored, feedbackRepeats: repeated });
    } catch (err) {
      if (!(err instanceof FeedbackConflict)) throw err;
      throw new HttpError(409, "conflict", `Feedback contradicting the decision already recorded (or given earlier in this call) for ${err.cardUuids.join(", ")}`);
    }
    // The spec expects 200 with no particular body.
    res.status(200).json({});
  });
  router.all("/", methodNotAllowed(["POST"]));
  return router;
}
