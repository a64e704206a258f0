/** GET /healthz: liveness and the loaded model, for load balancers and the operator. */
import { Router } from "express";
import type { RiskService } from "../risk/risk-service.ts";

export function healthzRouter(risk: RiskService): Router {
  const router = Router();
  router.get("/", (_req, res) => {
    res.json({ status: "ok", model: { name: risk.modelName, version: risk.modelVersion } });
  });
  return router;
}
