/**
 * What the log says about calls that fail: 400 and 412 lines carry the reason and how each
 * prefetch key was satisfied; a token that cannot be used is logged as such; and no error path
 * lets a patient identifier, name or birth date through (planted in every one of them).
 */
import { http, HttpResponse } from "msw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelRiskService } from "../../../cds-service/risk/model-risk-service.ts";
import type { RiskService } from "../../../cds-service/risk/risk-service.ts";
import { fullPrefetch, hookBody, patientRecord, searchset } from "../support/hook-requests.ts";
import { captureLog, type CapturedLog } from "../support/log-capture.ts";
import { mockFhirServer, type MockFhirServer } from "../support/mock-fhir-server.ts";
import { committedBaselineModel, committedModel, FHIR_BASE, HOOK_PATH, startTestService, type TestService } from "../support/test-service.ts";

const NAME = "Quillonia";
const FAMILY = "Zebedeeson";
const BIRTH = "1961-02-03";
const MRN = "MRN-5550123";
const PID = "pl4nted-pid";
/** The patient id for which the risk service fails, as an internal error would. */
const FAILING_PID = "pl4nted-boom";
const DOWN_BASE = "https://down.test.example/r4";

const record = patientRecord();

describe("logs of failed calls", () => {
  let svc: TestService;
  let fhir: MockFhirServer;
  let log: CapturedLog;
  beforeAll(async () => {
    log = captureLog();
    fhir = mockFhirServer({ resources: [record.patient, ...record.conditions, ...record.encounters], failures: { Observation: { status: 500 } } });
    const real = createModelRiskService(await committedModel(), await committedBaselineModel());
    const risk: RiskService = {
      modelName: real.modelName,
      modelVersion: real.modelVersion,
      assess: (resources, indexDate, patientId) => {
        if (patientId !== FAILING_PID) return real.assess(resources, indexDate, patientId);
        const url = `${FHIR_BASE}/Patient/${FAILING_PID}?name=${NAME}&birthdate=${BIRTH}`;
        throw Object.assign(new Error(`could not score ${url} (Patient/${FAILING_PID})`), { input: url, cause: new TypeError(`bad ${MRN}`) });
      },
    };
    svc = await startTestService({
      logger: log.logger,
      risk,
      handlers: [
        http.get(`${FHIR_BASE}/MedicationStatement`, () => new HttpResponse(`not json ${NAME} ${BIRTH}`, { headers: { "content-type": "application/fhir+json" } })),
        http.get(`${DOWN_BASE}/*`, () => HttpResponse.error()),
        ...fhir.handlers,
      ],
    });
  });
  afterAll(() => svc.close());

  const requestLines = () => log.entries().filter((e) => e.msg === "request");
  const lastRequestLine = () => requestLines().at(-1)!;
  const call = (body: Record<string, unknown>) => svc.call("POST", HOOK_PATH, { body });
  const withPatient = (body: Record<string, unknown>, patientId: string) => {
    (body.context as Record<string, string>).patientId = patientId;
    return body;
  };

  it("a 400 line carries the reason and the state of every prefetch key", async () => {
    const res = await call(hookBody({ prefetch: { ...fullPrefetch(), conditions: { resourceType: "Bundle", entry: "x" } } }));
    expect(res.status).toBe(400);
    expect(lastRequestLine()).toMatchObject({
      status: 400,
      reason: "prefetch.conditions: Bundle.entry must be an array",
      sources: { patient: "prefetch", conditions: "malformed", encounters: "not read", medicationRequests: "not read", medicationStatements: "not read", bodyMeasures: "not read" },
    });
  });

  it("a 400 line says a fetch-only-alongside key the EHR left out was not prefetched and is fetched only alongside another", async () => {
    const { kneeKlGrades: _left, ...prefetch } = fullPrefetch();
    const res = await call(hookBody({ prefetch: { ...prefetch, procedures: { resourceType: "Bundle", entry: "x" } } }));
    expect(res.status).toBe(400);
    expect(lastRequestLine().sources).toMatchObject({
      bodyMeasures: "prefetch",
      kneeKlGrades: "not prefetched (fetched only alongside another key)",
      procedures: "malformed",
    });
  });

  it("a 412 line carries the reason and how each key was (or was not) satisfied", async () => {
    const prefetch: Record<string, unknown> = { ...fullPrefetch(), medicationRequests: { resourceType: "OperationOutcome", issue: [] } };
    delete prefetch.patient;
    delete prefetch.bodyMeasures;
    const res = await call(hookBody({ prefetch, fhirServer: FHIR_BASE }));
    expect(res.status).toBe(412);
    expect(lastRequestLine()).toMatchObject({
      status: 412,
      reason: "Required data could not be obtained: medicationRequests (the EHR's prefetch query failed (OperationOutcome))",
      sources: {
        patient: "fetched (absent)",
        conditions: "prefetch",
        encounters: "prefetch",
        medicationRequests: "unavailable: the EHR's prefetch query failed (OperationOutcome)",
        medicationStatements: "prefetch",
        bodyMeasures: "unavailable: FHIR server answered 500",
      },
    });
  });

  it("a malformed fhirAuthorization: answered from a complete prefetch, the reason logged; 412 when data must be fetched", async () => {
    const body = hookBody({ fhirServer: FHIR_BASE });
    (body.fhirAuthorization as Record<string, unknown>).expires_in = "soon";
    expect((await call(body)).status).toBe(200);
    expect(lastRequestLine()).toMatchObject({ status: 200, fhirAuthorization: expect.stringMatching(/^not usable: expires_in: /) });
    delete body.prefetch;
    const res = await call(body);
    expect(res.status).toBe(412);
    expect(res.body.issue[0].diagnostics).toContain("patient (fhirAuthorization is not usable)");
    expect(lastRequestLine()).toMatchObject({ status: 412, fhirAuthorization: expect.stringMatching(/^not usable: expires_in: /) });
  });

  it("refuses the patient ids '.' and '..' (URL dot-segments) with 400, before any fetch", async () => {
    fhir.requests.length = 0;
    for (const id of [".", ".."]) {
      const res = await call(withPatient(hookBody({ fhirServer: FHIR_BASE, prefetch: undefined }), id));
      expect(res.status).toBe(400);
      expect(res.body.issue[0].diagnostics).toBe("Invalid context: patientId: not usable as an id (a URL dot-segment)");
    }
    expect(fhir.requests).toEqual([]);
  });

  it("never logs an identifier, name or birth date planted in any error path", async () => {
    const named = { ...(record.patient as object), name: [{ family: FAMILY, given: [NAME] }], birthDate: BIRTH, identifier: [{ value: MRN }] };
    const statuses: number[] = [];
    const send = async (options: { body?: unknown; rawBody?: string }) => statuses.push((await svc.call("POST", HOOK_PATH, options)).status);
    const nextTo = (url: string) => ({ ...fullPrefetch(), conditions: searchset(record.conditions.slice(0, 1), url) });
    // Malformed JSON and invalid calls that carry patient data.
    await send({ rawBody: `{"hook":"patient-view","prefetch":{"patient":{"name":"${NAME} ${FAMILY}","birthDate":"${BIRTH}"` });
    await send({ body: { ...hookBody({ prefetch: { ...fullPrefetch(), patient: named } }), hookInstance: MRN } });
    await send({ body: withPatient(hookBody({ prefetch: { ...fullPrefetch(), patient: { ...named, id: PID } } }), "p1") });
    await send({ body: withPatient(hookBody({ prefetch: { ...fullPrefetch(), patient: { resourceType: MRN } } }), PID) });
    // next links that cannot be parsed, or leave the server, carrying search parameters.
    await send({ body: hookBody({ fhirServer: FHIR_BASE, prefetch: nextTo(`http://[bad/Condition?name=${NAME}&birthdate=${BIRTH}&identifier=${MRN}`) }) });
    await send({ body: hookBody({ fhirServer: FHIR_BASE, prefetch: nextTo(`https://evil.example/Condition?name=${NAME}&birthdate=${BIRTH}`) }) });
    // Fetches that fail every way: 500, invalid JSON (holding a name), unreachable, 404.
    await send({ body: withPatient(hookBody({ fhirServer: FHIR_BASE, prefetch: undefined }), PID) });
    await send({ body: withPatient(hookBody({ fhirServer: DOWN_BASE, prefetch: undefined }), PID) });
    // An internal error whose message, properties and cause hold a URL, an MRN and a birth date.
    await send({ body: withPatient(hookBody({ prefetch: { ...fullPrefetch(), patient: { ...named, id: FAILING_PID } } }), FAILING_PID) });
    expect(statuses).toEqual([400, 400, 400, 400, 412, 412, 412, 412, 500]);

    const text = log.text();
    expect(text).toContain('"msg":"unhandled error"');
    for (const planted of [NAME, FAMILY, BIRTH, MRN, PID, FAILING_PID]) expect(text).not.toContain(planted);
  });
});
