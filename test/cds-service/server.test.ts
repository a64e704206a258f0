/**
 * Graceful shutdown of a running service (requests in flight finish, new connections are
 * refused) and the production entry point started as a process.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hookBody } from "./support/hook-requests.ts";
import { mockFhirServer } from "./support/mock-fhir-server.ts";
import { FHIR_BASE, HOOK_PATH, MODEL_PATH, startTestService } from "./support/test-service.ts";
import { patientRecord } from "./support/hook-requests.ts";
import { runMain } from "./support/run-main.ts";

describe("graceful shutdown", () => {
  it("lets a request in flight finish and refuses new connections", async () => {
    const record = patientRecord();
    const fhir = mockFhirServer({ resources: [record.patient], failures: { Patient: { delayMs: 300 } } });
    const svc = await startTestService({ handlers: fhir.handlers });
    const prefetch = { ...hookBody().prefetch as Record<string, unknown> };
    delete prefetch.patient;
    const inFlight = svc.call("POST", HOOK_PATH, { body: hookBody({ prefetch, fhirServer: FHIR_BASE }) });
    // Close only once the call is inside the service (waiting on the slow FHIR read): a fixed
    // sleep raced the connection on a loaded machine.
    while (fhir.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    const closing = svc.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    await closing;
    await expect(fetch(`${svc.url}/healthz`)).rejects.toThrow();
  });
});

describe("npm run serve (cds-service/main.ts)", () => {
  it("starts from environment variables, answers /healthz and stops cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "patella-cds-main-"));
    const main = runMain({
      PORT: "0",
      PATELLA_CDS_PUBLIC_URL: "https://cds.test.example",
      PATELLA_MODEL_PATH: MODEL_PATH,
      PATELLA_FEEDBACK_DB: join(dir, "feedback.sqlite"),
    });
    const out = await main.waitFor("CDS service listening");
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out)![1];
    expect(out).toContain("no issuers configured");
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    main.kill();
    const { code, out: all } = await main.done;
    expect(code).toBe(0);
    expect(all).toContain('"msg":"stopped"');
  });

  it("exits with a message naming the bad setting", async () => {
    const main = runMain({ PATELLA_CDS_PUBLIC_URL: "not a url", PORT: "0" });
    const { code, out } = await main.done;
    expect(code).toBe(2);
    expect(out).toContain("publicBaseUrl: Invalid URL");
  });
});
