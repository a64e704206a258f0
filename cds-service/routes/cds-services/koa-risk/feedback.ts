/** POST /cds-services/koa-risk/feedback: store what the clinician did with each card. */
import { Router } from "express";
import type { FeedbackStore } from "../../../feedback/feedback-store.ts";
import { HttpError } from "../../../http/operation-outcome.ts";
import { addLogFields } from "../../../http/request-log.ts";
import { FeedbackRequestSchema } from "../../../schemas/feedback-request.ts";
import { describeZodError } from "../../../schemas/hook-request.ts";
import { callerIssuer } from "../../../security/require-ehr-jwt.ts";
import { KOA_RISK_SERVICE_ID } from "./definition.ts";

export function koaRiskFeedbackRouter(store: FeedbackStore, now: () => Date): Router {
  const router = Router();
  router.post("/", (req, res) => {
    const parsed = FeedbackRequestSchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, "invalid", `Invalid feedback: ${describeZodError(parsed.error)}`);
    const stored = store.recordFeedback(KOA_RISK_SERVICE_ID, callerIssuer(res.locals).iss, parsed.data.feedback, now().toISOString());
    addLogFields(res.locals, { feedbackItems: stored });
    // The spec expects 200 with no particular body.
    res.status(200).json({});
  });
  return router;
}
