/**
 * The work of one patient-view call once the call is authenticated and validated: gather the
 * patient's data (prefetch plus fetch fallback), estimate the risk with the shared model code,
 * and build at most one card, recorded before it is sent. No HTTP here: hook.ts wraps it in a
 * route, and `npm run bench:hook` times it in its own process, stage by stage, as the service
 * runs it. The index date is the request's UTC day unless configured.
 */
import type { Logger } from "pino";
import type { CdsConfig, IssuerConfig } from "../../../config.ts";
import { buildRiskCard, meetsMinimumTier } from "../../../cards/build-risk-card.ts";
import { recentKneeOaGrade } from "../../../../shared/imaging/recent-kl.ts";
import type { CdsResponse } from "../../../cards/card-types.ts";
import { issuedCardOf } from "../../../cards/issued-card.ts";
import type { IssuedCardRegistry } from "../../../feedback/feedback-store.ts";
import { authorizationLog, gatherPatientData } from "../../../fhir/gather-patient-data.ts";
import type { LogFields } from "../../../http/request-log.ts";
import type { RiskService } from "../../../risk/risk-service.ts";
import type { HookRequest } from "../../../schemas/hook-request.ts";
import { KOA_RISK_PREFETCH } from "../../../../shared/risk-record-queries.ts";
import { KOA_RISK_SERVICE_ID } from "./definition.ts";

export interface HookRouteOptions {
  config: CdsConfig;
  /** Absolute URL of the model card (config, or this service's /model-card). */
  modelCardUrl: string;
  risk: RiskService;
  /** Every card is recorded here before it is sent, so feedback can be checked against it. */
  issuedCards: IssuedCardRegistry;
  logger: Logger;
  now: () => Date;
  newUuid: () => string;
  fetch?: typeof fetch;
}

/** The answer to send, and what the request's log line says about it. */
export interface PatientViewAnswer {
  response: CdsResponse;
  logFields: LogFields;
}

const elapsedMs = (start: number): number => Math.round((performance.now() - start) * 10) / 10;

export async function answerPatientView(options: HookRouteOptions, request: HookRequest, patientId: string, issuer: IssuerConfig): Promise<PatientViewAnswer> {
  const { config, risk, issuedCards, logger } = options;
  const t0 = performance.now();
  const data = await gatherPatientData({
    request,
    patientId,
    specs: KOA_RISK_PREFETCH,
    fhir: config.fhir,
    allowedFhirServers: issuer.fhirServers,
    logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const gatherMs = elapsedMs(t0);

  const indexDate = config.cards.indexDate ?? options.now().toISOString().slice(0, 10);
  const t1 = performance.now();
  const result = await risk.assess(data.resources, indexDate, patientId);
  const riskMs = elapsedMs(t1);

  const response: CdsResponse = { cards: [] };
  const timings: Record<string, number> = { gatherMs, riskMs };
  let outcome: string;
  if (result.kind === "no-estimate") {
    outcome = `no estimate: ${result.reasons.join(",")}`;
  } else if (!meetsMinimumTier(result.risk.tier, config.cards.minTier)) {
    outcome = `below minimum tier (${result.risk.tier})`;
  } else {
    const cardUuid = options.newUuid();
    const t2 = performance.now();
    const drivers = await result.explain();
    timings.explainMs = elapsedMs(t2);
    const card = buildRiskCard({ ...result.risk, drivers, recentKneeOaGrade: recentKneeOaGrade(data.resources, indexDate) }, {
      cardUuid,
      indexDate,
      modelName: risk.modelName,
      modelVersion: risk.modelVersion,
      modelCardUrl: options.modelCardUrl,
      appLaunchUrl: config.cards.appLaunchUrl,
      appContextInLaunchUrl: issuer.quirks.appContextInLaunchUrl,
      unavailableData: data.unavailable,
    });
    await issuedCards.recordIssued(
      issuedCardOf(card, {
        serviceId: KOA_RISK_SERVICE_ID,
        hookInstance: request.hookInstance,
        tier: result.risk.tier,
        issuer: issuer.iss,
        issuedAt: options.now().toISOString(),
      }),
    );
    response.cards.push(card);
    outcome = `card (${result.risk.tier})`;
  }
  const logFields: LogFields = {
    outcome,
    resources: data.resources.length,
    sources: data.sources,
    ...authorizationLog(request),
    timings,
    ...(Object.keys(data.foreignResources).length > 0 ? { foreignResourcesDropped: data.foreignResources } : {}),
  };
  return { response, logFields };
}
