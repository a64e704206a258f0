import { describe, expect, it } from "vitest";
import { parseConfig } from "../../cds-service/config.ts";
import { workerShare } from "../../cds-service/run-worker.ts";
import { getOnNewConnection, serveJwks, serviceDir, startMainWithEhr } from "./support/main-with-ehr.ts";
import { createTestEhr } from "./support/test-ehr.ts";
import { PUBLIC_BASE_URL } from "./support/test-service.ts";

describe("workerShare", () => {
  it("gives each worker its share of the rate limit, rounded up, and leaves the rest alone", () => {
    const config = parseConfig({ publicBaseUrl: "https://cds.example.org", workers: 4, limits: { rateLimitPerWindow: 601 } });
    const share = workerShare(config);
    expect(share.limits.rateLimitPerWindow).toBe(151);
    expect(share.limits.rateWindowMs).toBe(config.limits.rateWindowMs);
    expect(share.jwt).toEqual(config.jwt);
    expect(config.limits.rateLimitPerWindow).toBe(601);
  });

  it("keeps at least one call per window and the whole limit for a single worker", () => {
    expect(workerShare(parseConfig({ publicBaseUrl: "https://a.example", workers: 8, limits: { rateLimitPerWindow: 3 } })).limits.rateLimitPerWindow).toBe(1);
    expect(workerShare(parseConfig({ publicBaseUrl: "https://a.example", workers: 1 })).limits.rateLimitPerWindow).toBe(600);
  });
});

describe("used token ids with one worker", () => {
  it("refuses a token replayed after the service restarted", async () => {
    const ehr = await createTestEhr("https://ehr.restart.test");
    const jwks = await serveJwks(ehr);
    const dir = serviceDir();
    const token = await ehr.sign(`${PUBLIC_BASE_URL}/cds-services`);
    try {
      const first = await startMainWithEhr(ehr, jwks, dir, { workers: 1 });
      expect(await getOnNewConnection(`${first.url}/cds-services`, token)).toBe(200);
      first.main.kill();
      expect((await first.main.done).code).toBe(0);

      const second = await startMainWithEhr(ehr, jwks, dir, { workers: 1 });
      try {
        expect(await getOnNewConnection(`${second.url}/cds-services`, token)).toBe(401);
        expect(await getOnNewConnection(`${second.url}/cds-services`, await ehr.sign(`${PUBLIC_BASE_URL}/cds-services`))).toBe(200);
      } finally {
        second.main.kill();
        await second.main.done;
      }
    } finally {
      jwks.close();
    }
  }, 180_000);
});
