/**
 * The hook takes the parsed body off the request before the model runs: a keep-alive
 * connection's parser holds the request object until its next request, and a body kept there
 * (or by anything that waits for the model) is carried through garbage collection by every
 * request in flight. The answer itself must not change.
 */
import express, { type Request } from "express";
import { pino } from "pino";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../../../cds-service/config.ts";
import type { RiskService } from "../../../../../cds-service/risk/risk-service.ts";
import { koaRiskHookRouter } from "../../../../../cds-service/routes/cds-services/koa-risk/hook.ts";
import { UNSIGNED_DEV_ISSUER } from "../../../../../cds-service/security/require-ehr-jwt.ts";
import { fullPrefetch, hookBody, INDEX_DATE } from "../../../support/hook-requests.ts";

describe("koa-risk hook: the parsed body's lifetime", () => {
  let url: string;
  let close: () => void;
  let request: Request | undefined;
  let bodyWhileAssessing: unknown = "not assessed";
  let resourcesSeen = 0;

  beforeAll(async () => {
    const config = parseConfig({ publicBaseUrl: "https://cds.test.example", feedback: { dbPath: ":memory:" }, cards: { indexDate: INDEX_DATE } });
    const risk: RiskService = {
      modelName: "fake",
      modelVersion: "0",
      assess: (resources) => {
        bodyWhileAssessing = request?.body;
        resourcesSeen = resources.length;
        return Promise.resolve({ kind: "no-estimate", reasons: ["fake"] });
      },
    };
    const app = express();
    app.use(express.json({ limit: "5mb" }));
    app.use((req, res, next) => {
      request = req;
      res.locals.issuer = UNSIGNED_DEV_ISSUER;
      next();
    });
    app.use(
      "/koa-risk",
      koaRiskHookRouter({
        config,
        modelCardUrl: "https://cds.test.example/model-card",
        risk,
        issuedCards: { recordIssued: () => Promise.resolve() },
        logger: pino({ level: "silent" }),
        now: () => new Date(),
        newUuid: () => crypto.randomUUID(),
      }),
    );
    const server = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/koa-risk`;
    close = () => server.close();
  });
  afterAll(() => close());

  it("is off the request before the model runs, and after the answer", async () => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(hookBody({ prefetch: fullPrefetch() })) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ cards: [] });
    expect(resourcesSeen).toBeGreaterThan(0);
    expect(bodyWhileAssessing).toBeUndefined();
    expect(request?.body).toBeUndefined();
  });
});
