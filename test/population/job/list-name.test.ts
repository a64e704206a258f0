/**
 * The list of high-risk.csv and the Group is named by what it holds: "high-risk list" when it
 * starts at the High tier's bound (5%, the default --threshold), else "list of patients at or
 * above X%", since a lower --threshold lists Moderate and Low patients (and a higher one part of
 * the High tier only), in summary.html, in every row of high-risk.csv and on stderr.
 */
import { describe, expect, it } from "vitest";
import type { InputReport } from "../../../population/job/input-report.ts";
import { csvHeader, csvRows } from "../../../population/job/outputs/high-risk-csv.ts";
import { PopulationTally } from "../../../population/job/outputs/population-tally.ts";
import { summaryHtml } from "../../../population/job/outputs/summary-html.ts";
import { MODEL_DISCLAIMER } from "../../../shared/assess-risk.ts";
import { encounter, patient, tempDir, writeNdjson } from "../fixtures.ts";
import { runIdentity } from "../run-identity.ts";
import { scoredPerson } from "../scored-person.ts";
import { INDEX_DATE, populationCli } from "./job-fixtures.ts";

const identity = runIdentity({ indexDate: "2026-01-01" });

function summaryFor(threshold: number, top: number | null = null): string {
  const tally = new PopulationTally("2026-01-01");
  tally.add(scoredPerson("a", { probability: 0.03, tier: "moderate" }));
  tally.listed = 1;
  const input: InputReport = { format: "ndjson", grouping: "merge-join", patientsRead: 1, resourcesByType: {}, skipped: {}, shared: {}, ignoredFiles: [], badLines: [], dataTime: null, exportErrorOutcomes: null };
  const builderQuality = { skipped: {}, distinctCodes: 0, topCodes: [], codesNotKeptOccurrences: 0, codesNotShownOccurrences: 0 };
  const timing = { startedAt: "s", finishedAt: "f", seconds: 1, how: "single run" };
  return summaryHtml({ identity, input, builderQuality, tally, selection: { threshold, top }, timing });
}

/** The last cell of a CSV row (the note), unquoted. */
function noteOf(threshold: number): string {
  expect(csvHeader(false).split(",").at(-1)).toBe("note");
  const row = csvRows({ identity, threshold })(1, scoredPerson("p1", { probability: 0.03, tier: "moderate" }));
  return row.slice(row.lastIndexOf(',"') + 2, -1).replace(/""/g, '"');
}

describe("summary.html names the list", () => {
  it("the high-risk list when it starts at the High tier's bound, 5%", () => {
    const html = summaryFor(0.05);
    expect(html).toContain("<b>1</b>in the high-risk list</div>");
    expect(html).toContain("<tr><td>high-risk list</td><td>risk at or above 5.00%</td></tr>");
  });

  it("by what it holds when --threshold is below that bound (Moderate and Low patients listed) or above it", () => {
    const low = summaryFor(0.02);
    expect(low).toContain("<b>1</b>in the list of patients at or above 2.00%</div>");
    expect(low).toContain("<tr><td>list of patients at or above 2.00%</td><td>risk at or above 2.00%</td></tr>");
    expect(low).not.toContain("high-risk list");
    const high = summaryFor(0.2, 10);
    expect(high).toContain("in the list of patients at or above 20.00%</div>");
    expect(high).toContain("<tr><td>list of patients at or above 20.00%</td><td>the 10 riskiest patients with risk at or above 20.00%</td></tr>");
    expect(high).not.toContain("high-risk list");
  });
});

describe("high-risk.csv's note, in every row", () => {
  it("starts with the disclaimer when the list starts at the High tier's bound", () => {
    expect(noteOf(0.05).startsWith(MODEL_DISCLAIMER)).toBe(true);
  });

  it("first names the list when it does not", () => {
    expect(noteOf(0.02)).toBe(`${"This is the list of patients at or above 2.00% (the High tier starts at 5.00%)."} ${noteOf(0.05)}`);
  });
});

describe("the command line", () => {
  it("says on stderr what the list holds when --threshold is not the High tier's bound, and nothing of it by default", async () => {
    const input = tempDir();
    writeNdjson(input, "Patient.ndjson", [patient("p1")]);
    writeNdjson(input, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2025-06-01")]);
    const run = (threshold: string[]) => populationCli(["--input", input, "--out", tempDir("patella-list-name-"), "--index-date", INDEX_DATE, "--workers", "1", ...threshold]).done;
    const low = await run(["--threshold", "0.02"]);
    expect(low.code, low.stderr).toBe(0);
    expect(low.stderr).toContain("note: high-risk.csv and high-risk-group.json hold the list of patients at or above 2.00% (the High tier starts at 5.00%)\n");
    const byDefault = await run([]);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(byDefault.stderr).not.toContain("note: high-risk.csv");
  }, 60_000);

  it("and merge says it too, for the --threshold it is given", async () => {
    const input = tempDir();
    writeNdjson(input, "Patient.ndjson", [patient("p1"), patient("p2")]);
    const shards = await Promise.all(
      ["0/2", "1/2"].map(async (shard) => {
        const out = tempDir("patella-list-name-shard-");
        const run = await populationCli(["--input", input, "--out", out, "--index-date", INDEX_DATE, "--workers", "1", "--shard", shard]).done;
        expect(run.code, run.stderr).toBe(0);
        return out;
      }),
    );
    const merged = await populationCli(["merge", ...shards, "--out", tempDir("patella-list-name-merged-"), "--threshold", "0.3"]).done;
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stderr).toContain("note: high-risk.csv and high-risk-group.json hold the list of patients at or above 30.00% (the High tier starts at 5.00%)\n");
  }, 60_000);
});
