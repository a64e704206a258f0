/**
 * POST /bench/floor: parses and validates a hook body exactly as the hook does, then answers
 * {"cards": []}. The hook benchmark compares against it; only mounted when the config's
 * benchFloorEndpoint is set.
 */
import { Router } from "express";
import { parsePatientViewCall } from "../../schemas/hook-request.ts";
import { KOA_RISK_HOOK } from "../cds-services/koa-risk/definition.ts";

export function benchFloorRouter(): Router {
  const router = Router();
  router.post("/", (req, res) => {
    parsePatientViewCall(req.body, KOA_RISK_HOOK);
    // As the hook does: the body is not left on the request, which a keep-alive connection's
    // parser holds until its next request.
    req.body = undefined;
    res.json({ cards: [] });
  });
  return router;
}
