/**
 * POST /cds-services/koa-risk: validate the call and answer it with at most one card
 * (answer.ts does the work); the request's log line gets the hookInstance and the outcome.
 */
import { Router } from "express";
import { addLogFields } from "../../../http/request-log.ts";
import { parsePatientViewCall } from "../../../schemas/hook-request.ts";
import { callerIssuer } from "../../../security/require-ehr-jwt.ts";
import { answerPatientView, type HookRouteOptions } from "./answer.ts";
import { KOA_RISK_HOOK } from "./definition.ts";

export function koaRiskHookRouter(options: HookRouteOptions): Router {
  const router = Router();
  router.post("/", async (req, res) => {
    const { request, context } = parsePatientViewCall(req.body, KOA_RISK_HOOK);
    addLogFields(res.locals, { hookInstance: request.hookInstance });
    const { response, logFields } = await answerPatientView(options, request, context.patientId, callerIssuer(res.locals));
    addLogFields(res.locals, logFields);
    res.json(response);
  });
  return router;
}
