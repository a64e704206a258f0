/** What every replay cache must do, whatever its storage: the check both implementations share. */
import { expect } from "vitest";

interface ReplayCacheLike {
  remember(id: string): Promise<boolean>;
}

/** Refuses an id seen within `span` = 500 ms of clock `now()`, accepts it after, and remembers it again. */
export async function expectReplayWindow(open: (spanMs: number, now: () => number) => ReplayCacheLike | Promise<ReplayCacheLike>): Promise<void> {
  let now = 1_000;
  const cache = await open(500, () => now);
  expect(await cache.remember("a")).toBe(true);
  expect(await cache.remember("a")).toBe(false);
  now += 499;
  expect(await cache.remember("a")).toBe(false);
  now += 2;
  expect(await cache.remember("a")).toBe(true);
  expect(await cache.remember("a")).toBe(false);
}
