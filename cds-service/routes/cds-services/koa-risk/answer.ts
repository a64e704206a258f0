/**
 * The work of one patient-view call once the call is authenticated and validated: gather the
 * patient's data (prefetch plus fetch fallback), estimate the risk with the shared model code,
 * and build at most one card, recorded before it is sent. No HTTP here: hook.ts wraps it in a
 * route, and `npm run bench:hook` times it in its own process, stage by stage, as the service
 * runs it. The index date is the request's UTC day unless configured.
 */
import type { Logger } from "pino";
import type { CdsConfig, IssuerConfig } from "../../../config.ts";
import { buildRiskCard, cardReason } from "../../../cards/build-risk-card.ts";
import { recordCaveats, type RecordCaveats } from "../../../../shared/record-caveats.ts";
import type { CdsResponse } from "../../../cards/card-types.ts";
import { issuedCardOf } from "../../../cards/issued-card.ts";
import type { IssuedCardRegistry } from "../../../feedback/feedback-store.ts";
import { authorizationLog, gatherPatientData, type GatheredData } from "../../../fhir/gather-patient-data.ts";
import type { LogFields } from "../../../http/request-log.ts";
import type { HookRiskResult, RiskService } from "../../../risk/risk-service.ts";
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

/**
 * Not async, and neither is the step after the gathering: the call's parsed prefetch (about
 * 0.5 MB of heap for a 200 KiB body) is read before the first wait for the model, and nothing that
 * waits keeps it. A suspended async function keeps its arguments alive; with the body alive
 * while the model runs, every request in flight carried its body through the young
 * generation's collections (and into the old generation).
 */
export function answerPatientView(options: HookRouteOptions, request: HookRequest, patientId: string, issuer: IssuerConfig): Promise<PatientViewAnswer> {
  const { config, logger } = options;
  const t0 = performance.now();
  const call: CallSummary = { hookInstance: request.hookInstance, authorization: authorizationLog(request) };
  return gatherPatientData({
    request,
    patientId,
    specs: KOA_RISK_PREFETCH,
    fhir: config.fhir,
    allowedFhirServers: issuer.fhirServers,
    logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  }).then((data) => answerFromData(options, call, data, patientId, issuer, elapsedMs(t0)));
}

/** What the answer needs of the call itself, once the prefetch is read. */
interface CallSummary {
  hookInstance: string;
  authorization: { fhirAuthorization?: string };
}

/** Starts the risk (features are built now) and keeps of the data only what the answer needs. */
function answerFromData(options: HookRouteOptions, call: CallSummary, data: GatheredData, patientId: string, issuer: IssuerConfig, gatherMs: number): Promise<PatientViewAnswer> {
  const indexDate = options.config.cards.indexDate ?? options.now().toISOString().slice(0, 10);
  const t1 = performance.now();
  const assessing = options.risk.assess(data.resources, indexDate, patientId);
  const kept: KeptData = {
    // Read now, so that no resource waits for the model.
    ...recordCaveats(data.resources, data.cardContext, indexDate),
    resourceCount: data.resources.length + data.cardContext.length,
    unavailable: data.unavailable,
    sources: data.sources,
    foreignResources: data.foreignResources,
    notModelInput: data.notModelInput,
  };
  return finishAnswer(options, call, kept, assessing, { issuer, indexDate, gatherMs, t1 });
}

/** Of the gathered data, what the answer needs (never the resources themselves). */
interface KeptData extends Pick<GatheredData, "unavailable" | "sources" | "foreignResources" | "notModelInput">, RecordCaveats {
  resourceCount: number;
}

async function finishAnswer(
  options: HookRouteOptions,
  call: CallSummary,
  data: KeptData,
  assessing: Promise<HookRiskResult>,
  at: { issuer: IssuerConfig; indexDate: string; gatherMs: number; t1: number },
): Promise<PatientViewAnswer> {
  const { config, risk, issuedCards } = options;
  const { issuer, indexDate } = at;
  const result = await assessing;
  const riskMs = elapsedMs(at.t1);

  const response: CdsResponse = { cards: [] };
  const timings: Record<string, number> = { gatherMs: at.gatherMs, riskMs };
  let outcome: string;
  const reason = result.kind === "no-estimate" ? null : cardReason(result.risk.tier, config.cards.minTier, data.recentKneeOaGrade);
  if (result.kind === "no-estimate") {
    outcome = `no estimate: ${result.reasons.join(",")}`;
  } else if (reason === null) {
    outcome = `below minimum tier (${result.risk.tier})`;
  } else {
    const forImaging = reason === "imaging finding";
    const cardUuid = options.newUuid();
    const t2 = performance.now();
    const [drivers, baselineProbability] = await Promise.all([
      result.explain().then((explained) => {
        timings.explainMs = elapsedMs(t2);
        return explained;
      }),
      // A supplementary sentence: without it the card still goes out.
      result.baseline().catch((err: unknown) => {
        options.logger.error({ err }, "age/sex baseline model failed: card sent without the comparison");
        return null;
      }),
    ]);
    const card = buildRiskCard({ ...result.risk, drivers, baselineProbability, recentKneeOaGrade: data.recentKneeOaGrade, oaSiteNotStated: data.oaSiteNotStated, kneeReplaced: data.kneeReplaced, recordNotCurrent: data.recordNotCurrent }, {
      cardUuid,
      indexDate,
      modelName: risk.modelName,
      modelVersion: risk.modelVersion,
      modelCardUrl: options.modelCardUrl,
      appLaunchUrl: config.cards.appLaunchUrl,
      appContextInLaunchUrl: issuer.quirks.appContextInLaunchUrl,
      unavailableData: data.unavailable,
      foreignRecordsDropped: Object.values(data.foreignResources).reduce((sum, n) => sum + (n ?? 0), 0),
      ...(forImaging ? { shownBelowMinimumTier: config.cards.minTier } : {}),
    });
    await issuedCards.recordIssued(
      issuedCardOf(card, {
        serviceId: KOA_RISK_SERVICE_ID,
        hookInstance: call.hookInstance,
        tier: result.risk.tier,
        issuer: issuer.iss,
        issuedAt: options.now().toISOString(),
      }),
    );
    response.cards.push(card);
    outcome = forImaging ? `card (${result.risk.tier}, below minimum tier: imaging finding)` : `card (${result.risk.tier})`;
  }
  const logFields: LogFields = {
    outcome,
    resources: data.resourceCount,
    sources: data.sources,
    ...call.authorization,
    timings,
    ...(Object.keys(data.foreignResources).length > 0 ? { foreignResourcesDropped: data.foreignResources } : {}),
    ...(data.notModelInput > 0 ? { resourcesNotModelInput: data.notModelInput } : {}),
  };
  return { response, logFields };
}
