/**
 * The front ends are always built for production, also under vitest (NODE_ENV "test"), so the
 * end-to-end tests drive the app that ships; and the caller's NODE_ENV is put back. Vite itself is
 * not under test: a stand-in records the NODE_ENV each build sees.
 */
import { afterEach, describe, expect, it, vi } from "vitest";

const seen: (string | undefined)[] = [];
vi.mock("vite", () => ({
  build: vi.fn(async () => {
    seen.push(process.env.NODE_ENV);
    if (seen.length === 3) throw new Error("the build failed");
  }),
}));
const { buildFrontEnds } = await import("../../sandbox/build-front-ends.ts");

describe("buildFrontEnds", () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it("builds both front ends with NODE_ENV production under vitest's 'test', then puts 'test' back, even when a build fails", async () => {
    expect(process.env.NODE_ENV).toBe("test");
    await buildFrontEnds();
    expect(seen).toEqual(["production", "production"]);
    expect(process.env.NODE_ENV).toBe("test");
    await expect(buildFrontEnds()).rejects.toThrow("the build failed");
    expect(process.env.NODE_ENV).toBe("test");
  });

  it("leaves NODE_ENV unset when it was", async () => {
    delete process.env.NODE_ENV;
    seen.length = 0;
    await buildFrontEnds();
    expect(seen).toEqual(["production", "production"]);
    expect("NODE_ENV" in process.env).toBe(false);
  });
});
