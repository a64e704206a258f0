import { describe, expect, it } from "vitest";
import { addStats, listSkippedLine } from "../../population/skipped-lines.ts";
import { emptyStats, MAX_LISTED_SKIPPED_LINES } from "../../population/types.ts";

describe("the list of skipped lines", () => {
  it("keeps the first lines by file name and line number, whatever order they are found in", () => {
    const list: { where: string; reason: string }[] = [];
    const found = ["b.ndjson:3", "a.ndjson:10", "a.ndjson:9", "b.ndjson:12", "a.ndjson:100"];
    for (const where of found) listSkippedLine(list, { where, reason: "r" });
    expect(list.map((l) => l.where)).toEqual(["a.ndjson:9", "a.ndjson:10", "a.ndjson:100", "b.ndjson:3", "b.ndjson:12"]);
  });

  it(`holds at most ${MAX_LISTED_SKIPPED_LINES}, the same ones in any order of arrival`, () => {
    const places = Array.from({ length: 250 }, (_, i) => `x.ndjson:${i + 1}`);
    const forwards: { where: string; reason: string }[] = [];
    const backwards: { where: string; reason: string }[] = [];
    for (const where of places) listSkippedLine(forwards, { where, reason: "r" });
    for (const where of [...places].reverse()) listSkippedLine(backwards, { where, reason: "r" });
    expect(forwards).toHaveLength(MAX_LISTED_SKIPPED_LINES);
    expect(backwards).toEqual(forwards);
    expect(forwards.at(-1)!.where).toBe(`x.ndjson:${MAX_LISTED_SKIPPED_LINES}`);
  });

  it("adds a scoring thread's counts to the reader's", () => {
    const stats = emptyStats("ndjson");
    stats.resourcesByType.Condition = 2;
    stats.skipped["line is not valid JSON"] = 1;
    addStats(stats, {
      resourcesByType: { Condition: 3, Observation: 1 },
      skipped: { "line is not valid JSON": 1 },
      shared: { Organization: 4 },
      skippedLines: [{ where: "c.ndjson:7", reason: "line is not valid JSON" }],
    });
    expect(stats.resourcesByType).toEqual({ Condition: 5, Observation: 1 });
    expect(stats.skipped).toEqual({ "line is not valid JSON": 2 });
    expect(stats.shared).toEqual({ Organization: 4 });
    expect(stats.skippedLines).toEqual([{ where: "c.ndjson:7", reason: "line is not valid JSON" }]);
  });
});
