/**
 * POST /cds-services/koa-risk: validate the call and answer it with at most one card
 * (answer.ts does the work); the request's log line gets the hookInstance and the outcome.
 */
import { Router } from "express";
import { methodNotAllowed } from "../../../http/error-handler.ts";
import { addLogFields } from "../../../http/request-log.ts";
import { parsePatientViewCall } from "../../../schemas/hook-request.ts";
import { callerIssuer } from "../../../security/require-ehr-jwt.ts";
import { answerPatientView, type HookRouteOptions } from "./answer.ts";
import { KOA_RISK_HOOK } from "./definition.ts";

export function koaRiskHookRouter(options: HookRouteOptions): Router {
  const router = Router();
  // Not async: nothing here waits with the parsed body in reach (see answerPatientView). The
  // request object outlives the call (a keep-alive connection's parser holds it until the next
  // request), so the body is taken off it once validated. A rejection reaches the error handler.
  router.post("/", (req, res) => {
    const { request, context } = parsePatientViewCall(req.body, KOA_RISK_HOOK);
    req.body = undefined;
    addLogFields(res.locals, { hookInstance: request.hookInstance });
    return answerPatientView(options, request, context.patientId, callerIssuer(res.locals)).then(({ response, logFields }) => {
      addLogFields(res.locals, logFields);
      res.json(response);
    });
  });
  router.all("/", methodNotAllowed(["POST"]));
  return router;
}
