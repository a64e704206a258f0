/** GET /cds-services: the discovery document (cds-hooks.hl7.org/2.0, "Discovery"). */
import { Router } from "express";
import { methodNotAllowed } from "../../http/error-handler.ts";
import { KOA_RISK_DISCOVERY } from "./koa-risk/definition.ts";

export function discoveryRouter(): Router {
  const router = Router();
  const body = JSON.stringify({ services: [KOA_RISK_DISCOVERY] });
  router.get("/", (_req, res) => {
    res.type("application/json").send(body);
  });
  router.all("/", methodNotAllowed(["GET"]));
  return router;
}
