/** What every replay cache must do, whatever its storage: the check both implementations share. */
import { expect } from "vitest";

interface ReplayCacheLike {
  remember(id: string): boolean;
}

/** Refuses an id seen within `span` = 500 ms of clock `now()`, accepts it after, and remembers it again. */
export function expectReplayWindow(open: (spanMs: number, now: () => number) => ReplayCacheLike): void {
  let now = 1_000;
  const cache = open(500, () => now);
  expect(cache.remember("a")).toBe(true);
  expect(cache.remember("a")).toBe(false);
  now += 499;
  expect(cache.remember("a")).toBe(false);
  now += 2;
  expect(cache.remember("a")).toBe(true);
  expect(cache.remember("a")).toBe(false);
}
