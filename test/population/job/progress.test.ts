import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { displayedRate, etaSeconds, lineProgress, progressFor, type ProgressCounts } from "../../../population/job/progress.ts";

const read = (patientsRead: number): ProgressCounts => ({ patientsRead, scored: 0, resumed: 0, resources: 0 });

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

describe("displayedRate", () => {
  it("keeps two significant figures below 100 a second, so that a slow run never reads as 0", () => {
    // 256 patients in 640 s: 0.4 a second.
    expect(displayedRate(256, 640)).toBe(0.4);
    // 1 in 3 s: 0.333...; 2 in 3 s: 0.666...
    expect(displayedRate(1, 3)).toBe(0.33);
    expect(displayedRate(2, 3)).toBe(0.67);
    // 1 in 150 s: 0.00666...
    expect(displayedRate(1, 150)).toBe(0.0067);
    // 55 in 10 s; 100 in 3 s: 33.3...
    expect(displayedRate(55, 10)).toBe(5.5);
    expect(displayedRate(100, 3)).toBe(33);
  });

  it("is a whole number from 100 a second, and 0 when nothing was read", () => {
    // 1,000 in 8 s: 125; 2,469 in 2 s: 1,234.5, rounded up.
    expect(displayedRate(1000, 8)).toBe(125);
    expect(displayedRate(2469, 2)).toBe(1235);
    expect(displayedRate(0, 30)).toBe(0);
  });
});

/** A line-progress sink on a clock the test sets; `logged()` the JSON lines written. */
function linesOnClock() {
  const lines: string[] = [];
  const clock = { now: 0 };
  const progress = lineProgress({ write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream, () => clock.now);
  const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === "progress");
  return { progress, clock, logged };
}

describe("lineProgress", () => {
  it("measures the rate from a restart (a regrouping, whose counts start again from zero), not from the start", () => {
    const { progress, clock, logged } = linesOnClock();
    progress.start(100);
    clock.now = 60_000;
    progress.restart();
    clock.now = 70_000;
    progress.update(read(10));
    // 10 read in the 10 s since the restart: 1 a second, 90 left, 90 s.
    expect(logged()).toMatchObject([{ patientsRead: 10, patientsPerSecond: 1, etaSeconds: 90 }]);
  });

  it("logs a rate below one patient a second as it is, not as 0", () => {
    const { progress, clock, logged } = linesOnClock();
    progress.start(1000);
    // 4 read in 10 s: 0.4 a second, 996 left: 2,490 s.
    clock.now = 10_000;
    progress.update(read(4));
    // 9 read in 60 s: 0.15 a second, 991 left: 991 * 60 / 9 = 6,606.7 s.
    clock.now = 60_000;
    progress.update(read(9));
    expect(logged()).toMatchObject([
      { patientsRead: 4, patientsPerSecond: 0.4, etaSeconds: 2490 },
      { patientsRead: 9, patientsPerSecond: 0.15, etaSeconds: 6607 },
    ]);
  });

  it("writes the last counts when it stops, though they came within 5 s of the line before", () => {
    const { progress, clock, logged } = linesOnClock();
    progress.start(20);
    clock.now = 6_000;
    progress.update(read(12));
    clock.now = 8_000;
    progress.update(read(20));
    progress.stop();
    // 20 read in 8 s: 2.5 a second, none left.
    expect(logged()).toMatchObject([{ patientsRead: 12 }, { patientsRead: 20, patientsPerSecond: 2.5, etaSeconds: 0 }]);
  });

  it("writes nothing more when it stops with its last counts already written", () => {
    const { progress, clock, logged } = linesOnClock();
    progress.start(20);
    clock.now = 6_000;
    progress.update(read(20));
    progress.stop();
    expect(logged()).toMatchObject([{ patientsRead: 20 }]);
  });
});

/** What a terminal shows of the bar: the last line drawn, without the escape sequences. */
function terminalOnClock() {
  let written = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  });
  Object.assign(stream, { isTTY: true, columns: 200 });
  const clock = { now: 0 };
  const progress = progressFor(stream as unknown as NodeJS.WriteStream, () => clock.now);
  // Each drawing starts by moving the cursor to the line's first column (CSI n G).
  const lines = () => written.replace(/\x1b\[\d*G/g, "\n").replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, "").split(/[\r\n]/);
  const shown = () => lines().filter((line) => line.includes("patients")).at(-1) ?? "";
  return { progress, clock, shown, written: () => written };
}

describe("the terminal bar", () => {
  it("shows a rate below one patient a second as it is, and the ETA at that rate", () => {
    const { progress, clock, shown } = terminalOnClock();
    progress.start(1000);
    // 4 read in 10 s: 0.4 a second; 996 left: 2,490 s, 41 min 30 s.
    clock.now = 10_000;
    progress.update(read(4));
    progress.stop();
    expect(shown()).toContain("| 4/1000 patients |");
    expect(shown()).toContain("| 0.4/s | ETA 41m30s");
  });

  it("measures the rate and the ETA from a restart (a regrouping), not from the start", () => {
    const { progress, clock, shown } = terminalOnClock();
    progress.start(100);
    clock.now = 60_000;
    progress.update(read(90));
    progress.restart();
    // 10 read in the 20 s since the restart: 0.5 a second, 90 left, 180 s (from the start, 10 in
    // 80 s: 0.13 a second, 720 s).
    clock.now = 80_000;
    progress.update(read(10));
    progress.stop();
    expect(shown()).toContain("| 10/100 patients |");
    expect(shown()).toContain("| 0.5/s | ETA 3m00s");
  });

  it("says the ETA is unknown once more patients are read than expected (an estimate), not 0", () => {
    const { progress, clock, shown } = terminalOnClock();
    progress.start(10);
    clock.now = 5_000;
    progress.update(read(15));
    progress.stop();
    expect(shown()).toContain("| 15/10 patients |");
    expect(shown()).toContain("| 3/s | ETA unknown");
  });

  it("shows as scored the count given, the patients given a risk (an earlier run's included), not that count plus the patients resumed", () => {
    const { progress, clock, shown } = terminalOnClock();
    progress.start(20);
    clock.now = 5_000;
    // 10 read, 4 of them stored by an earlier run; 7 of the 10 have a risk.
    progress.update({ patientsRead: 10, scored: 7, resumed: 4, resources: 50 });
    progress.stop();
    expect(shown()).toContain("| 10/20 patients | 7 scored | 50 resources |");
  });
});

describe("grouping on disk", () => {
  /** The grouping lines written, as logged: JSON lines, or on a terminal the lines under the bar. */
  const groupingLines = (text: string) =>
    text
      .split(/[\r\n]/)
      .map((line) => line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ""))
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.event === "grouping on disk")
      .map(({ resourcesGrouped, finished }) => ({ resourcesGrouped, finished }));

  /** Grouping counts at 0, 1, 6, 6.5 (the last, finished) and then 7 s: a line at once, then one every 5 s at most, and the finished one. */
  const feed = (progress: ReturnType<typeof progressFor>, clock: { now: number }) => {
    progress.start(100);
    for (const [at, count, finished] of [[0, 5000, false], [1_000, 10_000, false], [6_000, 15_000, false], [6_500, 17_000, true]] as const) {
      clock.now = at;
      progress.grouping(count, finished);
    }
  };
  const expected = [
    { resourcesGrouped: 5000, finished: false },
    { resourcesGrouped: 15_000, finished: false },
    { resourcesGrouped: 17_000, finished: true },
  ];

  it("logs the count at once, then at most every 5 s, and always the finished count", () => {
    const lines: string[] = [];
    const clock = { now: 0 };
    const progress = lineProgress({ write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream, () => clock.now);
    feed(progress, clock);
    expect(groupingLines(lines.join(""))).toEqual(expected);
  });

  it("shows the same lines on a terminal, under the bar", () => {
    const { progress, clock, written } = terminalOnClock();
    feed(progress, clock);
    progress.stop();
    expect(groupingLines(written())).toEqual(expected);
  });
});
