import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sniffNdjsonFile } from "../../population/ndjson-lines.ts";
import { tempDir } from "./fixtures.ts";

const openFileCount = (): number => readdirSync("/proc/self/fd").length;

/** Waits until the open file count drops to `target` (closing a stream is asynchronous), or 2 s. */
async function settledFileCount(target: number): Promise<number> {
  for (let i = 0; i < 100 && openFileCount() > target; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return openFileCount();
}

describe("sniffNdjsonFile", () => {
  it("closes each file it stops reading early, so a directory of many files cannot run out of descriptors", async () => {
    const dir = tempDir();
    // Larger than one read chunk, so the stream is still open when the first line is found.
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ resourceType: "Observation", id: `o${i}` }));
    const files = Array.from({ length: 20 }, (_, i) => join(dir, `Observation.${i}.ndjson`));
    for (const file of files) writeFileSync(file, lines.join("\n"));
    const before = openFileCount();
    for (const file of files) expect(await sniffNdjsonFile(file)).toEqual({ kind: "resource", resourceType: "Observation" });
    expect(await settledFileCount(before)).toBeLessThanOrEqual(before);
  });
});
