/** The one card a hook call with this prefetch answers (status 200 asserted). */
import { expect } from "vitest";
import { hookBody } from "./hook-requests.ts";
import { HOOK_PATH, type TestService } from "./test-service.ts";

export async function hookCard(svc: TestService, prefetch: Record<string, unknown>): Promise<{ summary: string; detail: string }> {
  const res = await svc.call("POST", HOOK_PATH, { body: hookBody({ prefetch }) });
  expect(res.status).toBe(200);
  expect(res.body.cards).toHaveLength(1);
  return res.body.cards[0] as { summary: string; detail: string };
}
