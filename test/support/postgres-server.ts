/**
 * A throwaway PostgreSQL server for tests, started and stopped by the tests themselves:
 * Debian's PostgreSQL 15 binaries, `initdb` into a temporary folder, the server on a free
 * loopback port with its socket in that folder. PostgreSQL refuses to run as root, so when the
 * tests run as root (CI containers) every server command runs as the `postgres` user through
 * runuser; as any other user it runs as that user. Data is throwaway: fsync off.
 */
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const PG_BIN = "/usr/lib/postgresql/15/bin";
const RUN_AS_USER = "postgres";

export interface TestPostgres {
  /** postgresql://... for `databaseUrl`. */
  url: string;
  /** Stops the server (fast shutdown: open connections are cut, as in an outage). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and deletes its folder. */
  destroy(): Promise<void>;
}

const isRoot = (): boolean => process.getuid?.() === 0;

async function pgCommand(binary: string, args: string[]): Promise<void> {
  const path = join(PG_BIN, binary);
  const [command, argv] = isRoot() ? ["runuser", ["-u", RUN_AS_USER, "--", path, ...args]] : [path, args];
  try {
    await run(command, argv, { timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${binary} ${args.join(" ")} failed: ${e.stderr || e.message}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startTestPostgres(): Promise<TestPostgres> {
  if (!existsSync(join(PG_BIN, "initdb"))) {
    throw new Error(`PostgreSQL 15 is not installed (${PG_BIN}/initdb missing): run scripts/ensure-test-deps.sh`);
  }
  const dir = mkdtempSync(join(tmpdir(), "patella-pg-"));
  if (isRoot()) {
    const { stdout } = await run("id", ["-u", RUN_AS_USER]);
    const { stdout: gid } = await run("id", ["-g", RUN_AS_USER]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, "data");
  await pgCommand("initdb", ["-D", data, "-U", "patella", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  let running = false;
  const start = async () => {
    await pgCommand("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
    running = true;
  };
  const stop = async () => {
    await pgCommand("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"]);
    running = false;
  };
  await start();
  return {
    url: `postgresql://patella@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      if (running) await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
