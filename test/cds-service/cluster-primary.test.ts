/**
 * `npm run serve` with several worker processes: they share the port and one replay cache, so
 * a token is accepted once whichever worker a connection lands on; a worker that cannot start
 * stops the service.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMain } from "./support/run-main.ts";
import { createTestEhr } from "./support/test-ehr.ts";
import { MODEL_PATH, PUBLIC_BASE_URL } from "./support/test-service.ts";

/** GET on a new connection each time (agent: false), so cluster round robin picks a worker anew. */
function getOnNewConnection(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("npm run serve with two workers", () => {
  it("accepts a token once, whichever worker a replay reaches", async () => {
    const ehr = await createTestEhr("https://ehr.cluster.test");
    const jwks = createServer((_req, res) => res.setHeader("content-type", "application/json").end(JSON.stringify(ehr.jwks)));
    await new Promise<void>((r) => jwks.listen(0, "127.0.0.1", r));
    const dir = mkdtempSync(join(tmpdir(), "patella-cds-cluster-"));
    const configPath = join(dir, "config.json");
    writeFileSync(
      configPath,
      JSON.stringify({
        port: 0,
        workers: 2,
        publicBaseUrl: PUBLIC_BASE_URL,
        issuers: [{ iss: ehr.iss, jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json` }],
        jwt: { replayCachePath: join(dir, "replay.sqlite") },
        model: { path: MODEL_PATH },
        feedback: { dbPath: join(dir, "feedback.sqlite") },
      }),
    );
    const main = runMain({ PATELLA_CDS_CONFIG: configPath });
    try {
      const out = await main.waitFor("CDS service listening");
      expect(out).toContain('"workers":2');
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out)![1];
      const token = await ehr.sign(`${PUBLIC_BASE_URL}/cds-services`);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await getOnNewConnection(`${url}/cds-services`, token));
      expect(statuses).toEqual([200, 401, 401, 401]);
      // A fresh token still works on both workers.
      expect(await getOnNewConnection(`${url}/cds-services`, await ehr.sign(`${PUBLIC_BASE_URL}/cds-services`))).toBe(200);
      expect(await getOnNewConnection(`${url}/cds-services`, await ehr.sign(`${PUBLIC_BASE_URL}/cds-services`))).toBe(200);
    } finally {
      main.kill();
      jwks.close();
    }
    const { code, out } = await main.done;
    expect(code).toBe(0);
    expect(out).toContain('"msg":"stopped"');
  });

  it("stops with exit code 1 when a worker cannot start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "patella-cds-cluster-"));
    const main = runMain({
      PORT: "0",
      PATELLA_CDS_WORKERS: "2",
      PATELLA_CDS_PUBLIC_URL: PUBLIC_BASE_URL,
      PATELLA_MODEL_PATH: join(dir, "no-such-model.onnx"),
      PATELLA_FEEDBACK_DB: join(dir, "feedback.sqlite"),
    });
    const { code, out } = await main.done;
    expect(code).toBe(1);
    expect(out).toContain("Cannot read model file");
    expect(out).toContain("a worker failed to start");
  });
});
