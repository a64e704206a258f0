/**
 * The JSON API behind the EHR page (mounted at /ehr/api). The browser never holds a signing
 * key: hooks are signed and sent from here, as a hospital EHR's server would do.
 */
import express, { type Router } from "express";
import { z } from "zod";
import type { GrantStore } from "../auth/grant-store.ts";
import type { SearchEngine } from "../fhir/search-engine.ts";
import { listPatients, readChart } from "./chart.ts";
import { firePatientView, sendFeedback, type CdsClientOptions } from "./hooks/cds-client.ts";

export interface EhrApiOptions {
  engine: SearchEngine;
  cds: CdsClientOptions;
  /** Base URLs of the CDS services this EHR calls; read at each request. */
  cdsServices: readonly string[];
  store: GrantStore;
  /** Demo tags per patient id. */
  tags: ReadonlyMap<string, readonly string[]>;
  fhirBaseUrl: string;
}

/** One feedback call as it was sent, kept so demos and tests can see what happened. */
export interface SentFeedback {
  baseUrl: string;
  serviceId: string;
  card: string;
  outcome: string;
  status: number;
}

const MAX_FEEDBACK_KEPT = 1000;

const PatientViewBody = z.object({
  omitPrefetch: z.boolean().default(false),
  fhirFault: z.enum(["none", "slow", "fail"]).default("none"),
});

const FeedbackBody = z.object({
  baseUrl: z.string(),
  serviceId: z.string().min(1),
  card: z.string().min(1),
  outcome: z.enum(["accepted", "overridden"]),
  acceptedSuggestions: z.array(z.object({ id: z.string() })).optional(),
  overrideReason: z
    .object({
      reason: z.object({ code: z.string(), system: z.string().optional(), display: z.string().optional() }).optional(),
      userComment: z.string().max(1000).optional(),
    })
    .optional(),
});

const LaunchBody = z.object({
  patientId: z.string().min(1),
  appContext: z.string().max(4000).optional(),
  /** Shown in an iframe beside the chart, which already shows who the patient is. */
  embedded: z.boolean().default(true),
});

function problem(message: string) {
  return { error: message };
}

export function createEhrApi(options: EhrApiOptions): { router: Router; sentFeedback: SentFeedback[] } {
  const router = express.Router();
  const sentFeedback: SentFeedback[] = [];
  router.use(express.json({ limit: "100kb" }));

  router.get("/config", (_req, res) => {
    res.json({ fhirBaseUrl: options.fhirBaseUrl, cdsServices: options.cdsServices });
  });

  router.get("/patients", async (_req, res) => {
    res.json(await listPatients(options.engine, options.tags));
  });

  router.get("/patients/:id", async (req, res) => {
    const chart = await readChart(options.engine, req.params.id, options.tags.get(req.params.id) ?? []);
    if (!chart) return void res.status(404).json(problem("no such patient"));
    res.json(chart);
  });

  router.post("/patients/:id/patient-view", async (req, res) => {
    const body = PatientViewBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(problem(body.error.message));
    const found = await options.engine.read("Patient", req.params.id);
    if (found.status !== 200) return void res.status(404).json(problem("no such patient"));
    const { omitPrefetch, fhirFault } = body.data;
    const results = await firePatientView(options.cds, options.cdsServices, req.params.id, {
      omitPrefetch,
      ...(fhirFault !== "none" && { fhirFault }),
    });
    res.json({ services: results });
  });

  router.post("/feedback", async (req, res) => {
    const body = FeedbackBody.safeParse(req.body);
    if (!body.success) return void res.status(400).json(problem(body.error.message));
    const { baseUrl, serviceId, ...item } = body.data;
    // Only configured services: the EHR must not become a signed-request relay to anywhere.
    if (!options.cdsServices.includes(baseUrl)) return void res.status(400).json(problem("unknown CDS service"));
    let status = 0;
    let error: string | undefined;
    try {
      const sent = await sendFeedback(options.cds, baseUrl, serviceId, item);
      status = sent.status;
      // Say what the service said (e.g. 409: the card already has another decision), not a bare 502.
      if (status < 200 || status >= 300) error = `the service answered ${status}${sent.reason ? `: ${sent.reason}` : ""}`;
    } catch (err) {
      error = `the service could not be reached: ${(err as Error).message}`;
    }
    sentFeedback.push({ baseUrl, serviceId, card: item.card, outcome: item.outcome, status });
    // A demo can run for days: keep the recent history only.
    if (sentFeedback.length > MAX_FEEDBACK_KEPT) sentFeedback.shift();
    if (error !== undefined) return void res.status(502).json({ status, ...problem(error) });
    res.json({ status });
  });

  router.get("/feedback", (_req, res) => {
    res.json(sentFeedback);
  });

  router.post("/launch", async (req, res) => {
    const body = LaunchBody.safeParse(req.body);
    if (!body.success) return void res.status(400).json(problem(body.error.message));
    const found = await options.engine.read("Patient", body.data.patientId);
    if (found.status !== 200) return void res.status(404).json(problem("no such patient"));
    const launch = options.store.launches.put({
      patient: body.data.patientId,
      ...(body.data.appContext !== undefined && { appContext: body.data.appContext }),
      needPatientBanner: !body.data.embedded,
    });
    res.json({ launch, iss: options.fhirBaseUrl });
  });

  return { router, sentFeedback };
}
