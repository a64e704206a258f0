import { basename, dirname } from "node:path";
import { tmpdir } from "node:os";
import { expect, it } from "vitest";

it("puts the run's temporary files in one folder of the OS temp folder, which the run removes at its end", () => {
  expect(basename(tmpdir())).toMatch(/^patella-test-run-/);
  expect(basename(dirname(tmpdir()))).not.toMatch(/^patella-test-run-/);
});
