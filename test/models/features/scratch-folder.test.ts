/**
 * Which folders of the temp folder a starting command removes (models/features/scratch-folder.ts).
 * The commands themselves, killed with SIGKILL: test/models/scratch-leftovers.test.ts.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OWNER_FILE, openScratchFolder, removeLeftovers, thisProcess, type Owner } from "../../../models/features/scratch-folder.ts";

const REPO = join(import.meta.dirname, "../../..");
const DAY = 24 * 60 * 60 * 1000;
let parent: string;

beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), "patella-test-scratch-"));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(parent, { recursive: true, force: true });
});

/** Sets the modification time of `path` and of what is directly in it to `ageMs` ago. */
function age(path: string, ageMs: number): void {
  const time = (Date.now() - ageMs) / 1000;
  for (const name of readdirSync(path)) utimesSync(join(path, name), time, time);
  utimesSync(path, time, time);
}

/** A folder `name` of `parent` holding a database file and, when given, `owner` as its owner file,
 * last modified `ageMs` ago. */
function leftover(name: string, options: { ageMs?: number; owner?: Owner | string } = {}): string {
  const dir = join(parent, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "spill.sqlite"), "x".repeat(1000));
  if (options.owner !== undefined) writeFileSync(join(dir, OWNER_FILE), typeof options.owner === "string" ? options.owner : JSON.stringify(options.owner));
  age(dir, options.ageMs ?? 0);
  return dir;
}

const remaining = () => readdirSync(parent).sort();

describe("removeLeftovers", () => {
  it("keeps a running owner's folder however old, and removes one naming its process id with another start time (the id reused)", () => {
    const self = thisProcess();
    expect(self.startTicks).not.toBeNull();
    leftover("patella-scratch-running", { owner: self, ageMs: 30 * DAY });
    leftover("patella-scratch-reused", { owner: { ...self, startTicks: self.startTicks! + 1 } });
    expect(removeLeftovers(parent).map((r) => r.folder)).toEqual([join(parent, "patella-scratch-reused")]);
    expect(remaining()).toEqual(["patella-scratch-running"]);
  });

  it("removes at once a folder whose owner, a real process, has exited", () => {
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", 'import { thisProcess } from "./models/features/scratch-folder.ts"; console.log(JSON.stringify(thisProcess()));'],
      { cwd: REPO, encoding: "utf8" },
    );
    expect(child.status, child.stderr).toBe(0);
    const owner = JSON.parse(child.stdout) as Owner;
    expect(owner.pid).toBe(child.pid);
    leftover("patella-scratch-exited", { owner });
    expect(removeLeftovers(parent)).toEqual([{ folder: join(parent, "patella-scratch-exited"), bytes: 1000 + JSON.stringify(owner).length }]);
    expect(remaining()).toEqual([]);
  });

  it("removes a folder whose owner has exited but not yet been waited for (a zombie)", async () => {
    // sh starts `sleep 0` and becomes `sleep 30`, which never waits for it.
    const parentOfZombie = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const pid = Number(await new Promise<string>((resolve) => parentOfZombie.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString()))));
      const stat = () => {
        const text = readFileSync(`/proc/${pid}/stat`, "utf8");
        return text.slice(text.lastIndexOf(")") + 2).split(" ");
      };
      while (stat()[0] !== "Z") await new Promise((r) => setTimeout(r, 10));
      leftover("patella-scratch-zombie", { owner: { ...thisProcess(), pid, startTicks: Number(stat()[19]) } });
      removeLeftovers(parent);
      expect(remaining()).toEqual([]);
    } finally {
      parentOfZombie.kill("SIGKILL");
    }
  });

  it("removes a folder made before the last boot, even if its process id now runs", () => {
    leftover("patella-scratch-before-boot", { owner: { ...thisProcess(), bootId: "0b2f4c1e-0000-4000-8000-000000000000" } });
    removeLeftovers(parent);
    expect(remaining()).toEqual([]);
  });

  it("judges a folder from another process-id namespace by its age only", () => {
    const elsewhere = { ...thisProcess(), pidNamespace: "pid:[4026530000]" };
    leftover("patella-scratch-elsewhere-recent", { owner: elsewhere, ageMs: 23 * 60 * 60 * 1000 });
    leftover("patella-scratch-elsewhere-old", { owner: elsewhere, ageMs: 2 * DAY });
    removeLeftovers(parent);
    expect(remaining()).toEqual(["patella-scratch-elsewhere-recent"]);
  });

  it("removes a folder without a readable owner (an older version's) once nothing in it has changed for a day", () => {
    for (const prefix of ["patella-spill-", "patella-truth-", "koa-eval-", "patella-scratch-"]) {
      leftover(`${prefix}recent`, { ageMs: 23 * 60 * 60 * 1000 });
      leftover(`${prefix}old`, { ageMs: 2 * DAY });
      // An old folder whose database is still being written.
      const writing = leftover(`${prefix}writing`, { ageMs: 2 * DAY });
      const now = Date.now() / 1000;
      utimesSync(join(writing, "spill.sqlite"), now, now);
    }
    leftover("patella-scratch-garbled-old", { owner: '{"pid": "1"', ageMs: 2 * DAY });
    leftover("patella-scratch-garbled-recent", { owner: '{"pid": "1"' });
    removeLeftovers(parent);
    expect(remaining()).toEqual(
      [
        "koa-eval-recent",
        "koa-eval-writing",
        "patella-scratch-garbled-recent",
        "patella-scratch-recent",
        "patella-scratch-writing",
        "patella-spill-recent",
        "patella-spill-writing",
        "patella-truth-recent",
        "patella-truth-writing",
      ].sort(),
    );
  });

  it("leaves alone, however old: other names, the population job's spill folders, files, symbolic links", () => {
    const gone = { ...thisProcess(), bootId: "0b2f4c1e-0000-4000-8000-000000000000" };
    leftover("patella-pop-abc123", { ageMs: 30 * DAY });
    leftover("patella-spill-0123456789abcdef", { ageMs: 30 * DAY });
    leftover("target", { owner: gone, ageMs: 30 * DAY });
    symlinkSync(join(parent, "target"), join(parent, "patella-scratch-link"));
    writeFileSync(join(parent, "patella-spill-file"), "");
    expect(removeLeftovers(parent)).toEqual([]);
    expect(remaining()).toEqual(["patella-pop-abc123", "patella-scratch-link", "patella-spill-0123456789abcdef", "patella-spill-file", "target"]);
    expect(existsSync(join(parent, "target", "spill.sqlite"))).toBe(true);
  });

  it("leaves alone another user's folder", () => {
    const dir = leftover("patella-scratch-other-user", { owner: { ...thisProcess(), bootId: "0b2f4c1e-0000-4000-8000-000000000000" }, ageMs: 30 * DAY });
    // Giving the folder to another user needs root; this process taking another user id judges the
    // same folder from that user's side, whoever runs the test.
    const folderUid = lstatSync(dir).uid;
    vi.spyOn(process, "getuid").mockReturnValue(folderUid + 1);
    expect(removeLeftovers(parent)).toEqual([]);
    expect(remaining()).toEqual(["patella-scratch-other-user"]);
    vi.spyOn(process, "getuid").mockReturnValue(folderUid);
    expect(removeLeftovers(parent).map((entry) => entry.folder)).toEqual([dir]);
  });
});

describe("openScratchFolder", () => {
  it("removes the leftovers, says so on stderr, and makes a folder naming this process as its owner", () => {
    leftover("patella-scratch-exited", { owner: { ...thisProcess(), bootId: "0b2f4c1e-0000-4000-8000-000000000000" } });
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const scratch = openScratchFolder("features", parent);
    expect(stderr.mock.calls.map((call) => call[0])).toEqual([`features: removed 1 temporary folder left in ${parent} by runs no longer running (0 MB)\n`]);
    expect(remaining()).toEqual([scratch.path.slice(parent.length + 1)]);
    expect(scratch.path).toMatch(/patella-scratch-\w{6}$/);
    expect(JSON.parse(readFileSync(join(scratch.path, OWNER_FILE), "utf8"))).toEqual(thisProcess());
    // Another command starting now keeps it.
    expect(removeLeftovers(parent)).toEqual([]);
    scratch.remove();
    expect(remaining()).toEqual([]);
  });
});
