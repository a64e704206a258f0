/** A run of the two files here, for test/support/plain-summary-reporter.test.ts. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["*.fixture.ts"],
    reporters: ["../../../scripts/plain-summary-reporter.ts"],
  },
});
