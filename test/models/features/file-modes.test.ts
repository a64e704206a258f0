/**
 * `npm run features` on a site's export writes its patients' data (rows with patient ids, ages,
 * sex; their feature tensors), and keeps patients' data in its scratch folder while it runs: all
 * owner-only (files 0600, folders 0700), whatever the umask. Run under a umask of 0, with which a
 * file created with the defaults is 0666 and a folder 0777.
 */
import { spawnSync } from "node:child_process";
import { lstatSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openScratchFolder, OWNER_FILE } from "../../../models/features/scratch-folder.ts";
import { TruthStore } from "../../../population/truth-store.ts";
import { encounter, patient, tempDir, writeNdjson } from "../../population/fixtures.ts";
import { useUmaskZero } from "../../support/umask-zero.ts";

const CLI = join(import.meta.dirname, "../../../models/features/cli.ts");
const TSX = join(import.meta.dirname, "../../../node_modules/.bin/tsx");
// An OS temp folder of the test's own (models/features/scratch-folder.ts removes others' leftovers).
const TMP = tempDir("patella-test-features-modes-tmp-");

useUmaskZero();
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const bits = (path: string) => (lstatSync(path).mode & 0o777).toString(8);

describe("npm run features under umask 0", () => {
  it("writes every output file 0600 and leaves nothing in the temp folder", () => {
    const input = tempDir();
    writeNdjson(input, "Patient.ndjson", [patient("a", { birthDate: "1960-01-01" })]);
    writeNdjson(input, "Encounter.ndjson", [encounter("e1", "Patient/a", "2010-01-15"), encounter("e2", "Patient/a", "2016-06-30")]);
    const outDir = tempDir();
    const prefix = join(outDir, "site");
    // The child inherits this process's umask (0).
    const result = spawnSync(TSX, [CLI, "--in", input, "--out", prefix], { encoding: "utf8", env: { ...process.env, TMPDIR: TMP } });
    expect(result.status, result.stderr).toBe(0);
    const written = readdirSync(outDir).sort();
    expect(written).toEqual(["site.labels.npy", "site.meta.json", "site.rows.ndjson", "site.sequence.npy", "site.static.npy"]);
    expect(written.map((name) => `${name} ${bits(join(outDir, name))}`)).toEqual(written.map((name) => `${name} 600`));
    // Its scratch folder is gone (tsx keeps a cache folder of its own there).
    expect(readdirSync(TMP).filter((name) => name.startsWith("patella-"))).toEqual([]);
  });

  it("makes its scratch folder 0700 and the owner file in it 0600", () => {
    const scratch = openScratchFolder("features", TMP);
    try {
      expect(bits(scratch.path)).toBe("700");
      expect(bits(join(scratch.path, OWNER_FILE))).toBe("600");
    } finally {
      scratch.remove();
    }
  });

  it("keeps the truth store (the simulator's ground truth, looked up by patient) in a 0700 folder, its database 0600", async () => {
    const input = tempDir();
    writeFileSync(join(input, "truth.ndjson"), `${JSON.stringify({ patientId: "a", indexDates: [{ date: "2016-01-15", trueRisk1y: 0.02, outcome1y: false }] })}\n`);
    const scratch = tempDir("patella-test-features-modes-truth-");
    const store = await TruthStore.open(input, scratch);
    try {
      const [folder, ...others] = readdirSync(scratch);
      expect(others).toEqual([]);
      expect(`${folder} ${bits(join(scratch, folder!))}`).toMatch(/^patella-truth-\S+ 700$/);
      expect(readdirSync(join(scratch, folder!)).map((name) => `${name} ${bits(join(scratch, folder!, name))}`)).toEqual(["truth.sqlite 600"]);
    } finally {
      store!.close();
    }
  });
});
