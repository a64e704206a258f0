/**
 * Graceful shutdown of a running service (requests in flight finish, new connections are
 * refused) and the production entry point started as a process.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hookBody } from "./support/hook-requests.ts";
import { mockFhirServer } from "./support/mock-fhir-server.ts";
import { FHIR_BASE, HOOK_PATH, MODEL_PATH, startTestService } from "./support/test-service.ts";
import { patientRecord } from "./support/hook-requests.ts";
import { runMain } from "./support/run-main.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

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

describe("graceful shutdown with keep-alive clients", () => {
  interface Outcome {
    /** Started before SIGTERM was sent. */
    startedBeforeSignal: boolean;
    /** Started after the server said it received the signal. */
    startedAfterClosing: boolean;
    result: number | string;
  }

  it("after SIGTERM finishes every request started before it, closes each connection with it, and serves nothing new", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/cds-service/support/keep-alive-server.ts"], { cwd: ROOT });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    while (!/listening (\S+)/.test(out)) await new Promise((r) => setTimeout(r, 20));
    const url = /listening (\S+)/.exec(out)![1]!;

    const clients = 19;
    const outcomes: Outcome[] = [];
    const served = new Array<number>(clients).fill(0);
    const connectionHeaders: (string | undefined)[] = [];
    let signalled = false;
    const once = (agent: Agent) =>
      new Promise<number | string>((resolve) => {
        const req = httpRequest(`${url}/work`, { agent }, (res) => {
          if (signalled) connectionHeaders.push(res.headers.connection);
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
        req.end();
      });
    // Each client sends request after request on its own keep-alive connection until refused.
    const loops = Array.from({ length: clients }, async (_, client) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (;;) {
        const startedBeforeSignal = !signalled;
        const startedAfterClosing = out.includes("closing");
        const result = await once(agent);
        outcomes.push({ startedBeforeSignal, startedAfterClosing, result });
        served[client]! += 1;
        if (typeof result === "string") break; // refused or reset: the server is gone
      }
      agent.destroy();
    });
    // Every client on its keep-alive connection (a connection still in the listen queue when
    // the listener closes is reset by the kernel, whatever the server does).
    while (served.some((n) => n < 2)) await new Promise((r) => setTimeout(r, 10));
    signalled = true;
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    await Promise.all(loops);

    const before = outcomes.filter((o) => o.startedBeforeSignal);
    const after = outcomes.filter((o) => o.startedAfterClosing);
    // 0 resets: every request started before the signal got its answer (a 503 only for one
    // still on its way to an idle connection, which the server had not begun).
    expect(before.filter((o) => o.result !== 200 && o.result !== 503)).toEqual([]);
    expect(before.filter((o) => o.result === 200).length).toBeGreaterThanOrEqual(clients * 2);
    // Nothing started once the server had the signal was served (503 on a connection still
    // open, or refused).
    expect(after.filter((o) => o.result === 200)).toEqual([]);
    // The answers in flight at the signal told their clients to drop the connection.
    expect(connectionHeaders).toContain("close");
    expect(out).toContain("closed");
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
      PATELLA_REPLAY_DB: join(dir, "replay.sqlite"),
    });
    const out = await main.waitFor("CDS service listening");
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out)![1];
    expect(out).toContain("no issuers configured");
    expect(existsSync(join(dir, "replay.sqlite"))).toBe(true);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    main.kill();
    const { code, out: all } = await main.done;
    expect(code).toBe(0);
    expect(all).toContain('"msg":"stopped"');
    // Worker processes start through the TypeScript runner and load the model: 20-30 s while the
    // rest of the suite runs on two cores (runMain waits up to 60 s for "listening").
  }, 120_000);

  it("exits with a message naming the bad setting", async () => {
    const main = runMain({ PATELLA_CDS_PUBLIC_URL: "not a url", PORT: "0" });
    const { code, out } = await main.done;
    expect(code).toBe(2);
    expect(out).toContain("publicBaseUrl: Invalid URL");
  });

  it("does not start with a minimum tier that is not a tier name", async () => {
    const main = runMain({ PATELLA_CDS_PUBLIC_URL: "https://cds.test.example", PATELLA_CDS_MIN_TIER: "critical", PORT: "0" });
    const { code, out } = await main.done;
    expect(code).toBe(2);
    expect(out).toContain('cards.minTier: Invalid option: expected one of "low"|"moderate"|"high"');
  });
});
