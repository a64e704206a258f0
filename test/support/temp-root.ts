/**
 * vitest globalSetup: the run's temporary files (every test's temp folders, the CLIs, Chromium
 * and PostgreSQL they start) go in one folder, removed when the run ends. Tests make hundreds of
 * temp folders and most leave them, which filled a developer's /tmp with gigabytes over a few
 * days. TMPDIR is set before the test processes are forked, so os.tmpdir() in them, and in every
 * process they spawn, names this folder.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "patella-test-run-"));
  // Traversable by other users, as /tmp is: run as root, the tests' PostgreSQL runs as the
  // postgres user in a folder of its own inside (test/support/postgres-server.ts). The folders
  // the tests make in it are their own, private ones (mkdtemp).
  chmodSync(root, 0o755);
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
