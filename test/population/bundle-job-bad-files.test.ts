/** The population job over a Bundle folder with files the reader cannot read or use as they are. */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inputFingerprint } from "../../population/job/input-fingerprint.ts";
import { lineProgress } from "../../population/job/progress.ts";
import { bundle, encounter, patient, tempDir } from "./fixtures.ts";
import { read, scorePopulation } from "./job/job-fixtures.ts";

const patientBundle = (id: string) => bundle([{ resource: patient(id) }, { resource: encounter(`e-${id}`, `Patient/${id}`, "2024-01-01") }]);

/** Runs the job in this process and returns its result and stderr events (JSON lines) as objects. */
async function run(inputDir: string, outDir = tempDir("patella-job-bundle-bad-")) {
  const log: string[] = [];
  const progress = lineProgress({ write: (line: string) => log.push(line) } as unknown as NodeJS.WritableStream);
  const result = await scorePopulation(inputDir, outDir, { workers: 1, batchSize: 1, progress });
  return { result, log, events: log.map((line) => JSON.parse(line) as Record<string, unknown>), outDir };
}

describe("the population job on Bundle files it cannot read as they are", () => {
  it("reads the rest, and reports each file not read by its label on stderr and in summary.html, never by its name", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "p1.json"), JSON.stringify(patientBundle("p1")));
    // The outside probe's cases: a broken symbolic link and a folder named *.json stopped the run
    // (the link's error named the file); a Bundle whose entry is an object lost its patient unsaid.
    symlinkSync(join(dir, "moved-away.json.bak"), join(dir, "Jane_Doe_4f1c2b9e.json"));
    mkdirSync(join(dir, "Jane_Doe_folder.json"));
    writeFileSync(join(dir, "Jane_Doe_entry.json"), JSON.stringify({ resourceType: "Bundle", type: "collection", entry: { resource: patient("lost") } }));
    // Read now: a byte order mark (was "not valid JSON") and a batch-response of searches (its
    // patient was lost, only "Bundle 1" counted).
    writeFileSync(join(dir, "Jane_Doe_bom.json"), `\uFEFF${JSON.stringify(patientBundle("p2"))}`);
    writeFileSync(
      join(dir, "batch.json"),
      JSON.stringify({ resourceType: "Bundle", type: "batch-response", entry: [{ resource: { ...(patientBundle("p3") as object), type: "searchset" }, response: { status: "200 OK" } }] }),
    );
    const { result, log, events, outDir } = await run(dir);
    expect(result.patients).toBe(3);
    expect(result.scored).toBe(3);
    // printf %s NAME | sha256sum
    const notRead = [
      { file: "Bundle file whose name's SHA-256 begins 1050e64e3ab7", reason: "no such file (a broken symbolic link?)" },
      { file: "Bundle file whose name's SHA-256 begins 44b5c4123f6c", reason: "a folder, not a file" },
      { file: "Bundle file whose name's SHA-256 begins 85443ce9f74e", reason: "Bundle entry is not an array" },
    ];
    expect(events.filter((e) => e.event === "bad file skipped")).toEqual(notRead.map((f) => ({ time: expect.any(String), event: "bad file skipped", ...f })));
    expect(log.join("\n")).not.toMatch(/Jane|Doe/);
    const summary = read(outDir, "summary.html");
    for (const { file, reason } of notRead) expect(summary).toContain(`<tr><td>${file.replace("'", "&#39;")}</td><td>${reason}</td></tr>`);
    for (const { reason } of notRead) expect(summary).toContain(`<tr><td>skipped by the reader: Bundle file not read: ${reason}</td><td class="n">1</td></tr>`);
    expect(summary).not.toMatch(/Jane|Doe/);
  }, 60_000);

  it("fingerprints a folder with a broken link, and refuses to take the run up again once the link's file is there", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "p1.json"), JSON.stringify(patientBundle("p1")));
    const target = join(dir, "moved-away.json.bak");
    symlinkSync(target, join(dir, "Jane_Doe_4f1c2b9e.json"));
    const before = await inputFingerprint(dir);
    expect(await inputFingerprint(dir)).toBe(before);
    const { result, outDir } = await run(dir);
    expect(result.patients).toBe(1);
    // The file comes back: the folder now holds a patient the finished run did not read.
    writeFileSync(target, JSON.stringify(patientBundle("p2")));
    expect(await inputFingerprint(dir)).not.toBe(before);
    await expect(run(dir, outDir)).rejects.toThrow(/belongs to another run: input files \(added, removed or changed since that run\) fingerprint [0-9a-f]{12} in that run/);
  }, 60_000);

  it("changes the fingerprint when a file's permissions change (a file the run could not read, given permission, holds patients it never read)", async () => {
    const dir = tempDir();
    const locked = join(dir, "p2.json");
    writeFileSync(locked, JSON.stringify(patientBundle("p2")));
    chmodSync(locked, 0);
    const before = await inputFingerprint(dir);
    chmodSync(locked, 0o644);
    const after = await inputFingerprint(dir);
    expect(after).not.toBe(before);
    chmodSync(locked, 0);
    expect(await inputFingerprint(dir)).toBe(before);
  });
});
