/**
 * The "base-url" audience quirk: an EHR configured with it signs `aud` = the service's base URL,
 * and only such an EHR may; every other EHR must name the exact endpoint it calls.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hookBody } from "../support/hook-requests.ts";
import { createTestEhr, type TestEhr } from "../support/test-ehr.ts";
import { HOOK_PATH, jwksHandler, startTestService, type TestService } from "../support/test-service.ts";

describe("the base-url audience quirk", () => {
  let svc: TestService;
  let quirky: TestEhr;
  let strict: TestEhr;
  beforeAll(async () => {
    quirky = await createTestEhr("https://quirky-ehr.test.example");
    strict = await createTestEhr("https://strict-ehr.test.example");
    svc = await startTestService({
      ehr: quirky,
      config: {
        issuers: [
          { iss: quirky.iss, jwksUrl: quirky.jwksUrl, quirks: { audience: "base-url" } },
          { iss: strict.iss, jwksUrl: strict.jwksUrl },
        ],
      },
      handlers: [jwksHandler(strict)],
    });
  });
  afterAll(() => svc.close());

  const call = async (token: string) => (await svc.call("POST", HOOK_PATH, { body: hookBody(), token })).status;
  const baseUrl = () => svc.audience("");

  it("accepts the base URL as aud from the EHR that has the quirk, and not the endpoint URL", async () => {
    expect(await call(await quirky.sign(baseUrl()))).toBe(200);
    expect(await call(await quirky.sign(svc.audience(HOOK_PATH)))).toBe(401);
  });

  it("refuses the base URL from an EHR without the quirk", async () => {
    expect(await call(await strict.sign(svc.audience(HOOK_PATH)))).toBe(200);
    expect(await call(await strict.sign(baseUrl()))).toBe(401);
  });
});
