import { describe, expect, it } from "vitest";
import { parseConfig } from "../../cds-service/config.ts";
import { workerShare } from "../../cds-service/run-worker.ts";

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
