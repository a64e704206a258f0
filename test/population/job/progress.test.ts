import { describe, expect, it } from "vitest";
import { etaSeconds, lineProgress } from "../../../population/job/progress.ts";

describe("etaSeconds", () => {
  it("is the patients left over the rate read so far", () => {
    // 250 of 1,000 read in 10 s: 25 a second, 750 left, 30 s.
    expect(etaSeconds(1000, 250, 10)).toBe(30);
    // 3 of 7 read in 6 s: 0.5 a second, 4 left, 8 s.
    expect(etaSeconds(7, 3, 6)).toBe(8);
    // All read: nothing left to wait for, however slow the read was.
    expect(etaSeconds(1, 1, 3.96)).toBe(0);
  });

  it("is null when it cannot be estimated: no count expected, none read yet, or more read than expected", () => {
    expect(etaSeconds(null, 10, 5)).toBeNull();
    expect(etaSeconds(100, 0, 5)).toBeNull();
    // The expected count is an estimate: once passed, what is left is unknown (not 0 s).
    expect(etaSeconds(1, 2, 5)).toBeNull();
  });
});

describe("lineProgress", () => {
  it("measures the rate from a restart (a regrouping, whose counts start again from zero), not from the start", () => {
    const lines: string[] = [];
    let now = 0;
    const progress = lineProgress({ write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream, () => now);
    progress.start(100);
    now = 60_000;
    progress.restart();
    now = 70_000;
    progress.update({ patientsRead: 10, scored: 0, resumed: 0, resources: 0 });
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.event === "progress");
    // 10 read in the 10 s since the restart: 1 a second, 90 left, 90 s.
    expect(logged).toMatchObject({ patientsRead: 10, patientsPerSecond: 1, etaSeconds: 90 });
  });
});
