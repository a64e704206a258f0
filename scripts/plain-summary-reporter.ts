/**
 * Vitest reporter that ends the run with one plain line, "N passed, N failed" (", N skipped"
 * when any), which CI systems that do not parse Vitest's own summary can read.
 */
import type { Reporter, TestModule } from "vitest/node";

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      let testsFailed = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") testsFailed++;
        else counts.skipped++;
      }
      // A file that failed outside its tests (an import error, a beforeAll that threw, whose tests
      // are then skipped) counts as one failure: else the line read "0 failed" for a failed run.
      counts.failed += module.state() === "failed" && testsFailed === 0 ? 1 : testsFailed;
    }
    const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : "";
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed${skipped}\n`);
  }
}
