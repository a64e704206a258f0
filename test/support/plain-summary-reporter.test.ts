import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");

it("counts a file whose setup failed as a failure, beside the failed tests (the plain summary line CI reads)", () => {
  // passes.fixture.ts: 1 passed, 1 failed. setup-throws.fixture.ts: its beforeAll throws, so its
  // one test is skipped and the file failed: 1 more failure. Before, the line said "1 failed".
  const run = spawnSync(join(ROOT, "node_modules/.bin/vitest"), ["run", "--config", "test/support/reporter-fixture/vitest.config.ts"], { cwd: ROOT, encoding: "utf8" });
  expect(run.status).toBe(1);
  expect(run.stdout.trim().split("\n").at(-1)).toBe("1 passed, 2 failed, 1 skipped");
}, 60_000);
