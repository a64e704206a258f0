import { describe, expect, it } from "vitest";
import { ReplayCache } from "../../../cds-service/security/replay-cache.ts";
import { expectReplayWindow } from "./replay-window-contract.ts";

describe("ReplayCache", () => {
  it("refuses an id seen within the span and accepts it after", async () => {
    await expectReplayWindow((span, now) => new ReplayCache(10, span, now));
  });

  it("evicts expired ids and stays within its bound", async () => {
    let now = 0;
    const cache = new ReplayCache(3, 100, () => now);
    for (const id of ["a", "b", "c", "d"]) await cache.remember(id);
    expect(cache.size).toBe(3);
    expect(await cache.remember("d")).toBe(false);
    now = 1_000;
    await cache.remember("e");
    expect(cache.size).toBe(1);
  });
});
