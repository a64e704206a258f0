/**
 * Graceful shutdown of a running service (requests in flight finish, new connections are
 * refused) and the production entry point started as a process.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { hookBody } from "./support/hook-requests.ts";
import { mockFhirServer } from "./support/mock-fhir-server.ts";
import { FHIR_BASE, HOOK_PATH, MODEL_PATH, startTestService } from "./support/test-service.ts";
import { patientRecord } from "./support/hook-requests.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("graceful shutdown", () => {
  it("lets a request in flight finish and refuses new connections", async () => {
    const record = patientRecord();
    const fhir = mockFhirServer({ resources: [record.patient], failures: { Patient: { delayMs: 300 } } });
    const svc = await startTestService({ handlers: fhir.handlers });
    const prefetch = { ...hookBody().prefetch as Record<string, unknown> };
    delete prefetch.patient;
    const inFlight = svc.call("POST", HOOK_PATH, { body: hookBody({ prefetch, fhirServer: FHIR_BASE }) });
    await new Promise((r) => setTimeout(r, 100));
    const closing = svc.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    await closing;
    await expect(fetch(`${svc.url}/healthz`)).rejects.toThrow();
  });
});

function runMain(env: Record<string, string>): { done: Promise<{ code: number | null; out: string }>; kill: () => void; waitFor: (text: string) => Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", "cds-service/main.ts"], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env } });
  let out = "";
  const listeners: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return {
    done: new Promise((resolve) => child.on("exit", (code) => resolve({ code, out }))),
    kill: () => child.kill("SIGTERM"),
    waitFor: (text) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for "${text}"; output:\n${out}`)), 20_000);
        const check = () => {
          if (out.includes(text)) {
            clearTimeout(timer);
            resolve(out);
          }
        };
        listeners.push(check);
        check();
      }),
  };
}

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
