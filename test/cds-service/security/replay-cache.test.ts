import { describe, expect, it } from "vitest";
import { ReplayCache } from "../../../cds-service/security/replay-cache.ts";

describe("ReplayCache", () => {
  it("refuses an id seen within the span and accepts it after", () => {
    let now = 1_000;
    const cache = new ReplayCache(10, 500, () => now);
    expect(cache.remember("a")).toBe(true);
    expect(cache.remember("a")).toBe(false);
    now += 499;
    expect(cache.remember("a")).toBe(false);
    now += 2;
    expect(cache.remember("a")).toBe(true);
  });

  it("evicts expired ids and stays within its bound", () => {
    let now = 0;
    const cache = new ReplayCache(3, 100, () => now);
    for (const id of ["a", "b", "c", "d"]) cache.remember(id);
    expect(cache.size).toBe(3);
    expect(cache.remember("d")).toBe(false);
    now = 1_000;
    cache.remember("e");
    expect(cache.size).toBe(1);
  });
});
