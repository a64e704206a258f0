/**
 * `npm run serve` (cds-service/main.ts) as a child process, trusting a test EHR whose JWKS is
 * served over real HTTP on loopback (a child process cannot see the tests' msw handlers).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMain, type RunningMain } from "./run-main.ts";
import type { TestEhr } from "./test-ehr.ts";
import { MODEL_PATH, PUBLIC_BASE_URL } from "./test-service.ts";

export interface JwksServer {
  url: string;
  close(): void;
}

export async function serveJwks(ehr: TestEhr): Promise<JwksServer> {
  const server = createServer((_req, res) => res.setHeader("content-type", "application/json").end(JSON.stringify(ehr.jwks)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, close: () => server.close() };
}

/** A temporary folder for one service's files (config, SQLite). */
export function serviceDir(): string {
  return mkdtempSync(join(tmpdir(), "patella-cds-main-"));
}

export interface MainWithEhr {
  url: string;
  /** Everything printed up to "CDS service listening". */
  startOutput: string;
  main: RunningMain;
}

/**
 * Starts main.ts with a config file in `dir`: the EHR as the only issuer, the committed model,
 * SQLite files in `dir`, and `settings` on top. Resolves once every worker listens.
 */
export async function startMainWithEhr(ehr: TestEhr, jwks: JwksServer, dir: string, settings: Record<string, unknown> = {}): Promise<MainWithEhr> {
  const configPath = join(dir, "config.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      port: 0,
      publicBaseUrl: PUBLIC_BASE_URL,
      issuers: [{ iss: ehr.iss, jwksUrl: jwks.url }],
      jwt: { replayCachePath: join(dir, "replay.sqlite") },
      model: { path: MODEL_PATH },
      feedback: { dbPath: join(dir, "feedback.sqlite") },
      ...settings,
    }),
  );
  const main = runMain({ PATELLA_CDS_CONFIG: configPath });
  const startOutput = await main.waitFor("CDS service listening");
  return { url: /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(startOutput)![1]!, startOutput, main };
}

/** GET on a new connection each time (agent: false), so cluster round robin picks a worker anew. */
export function getOnNewConnection(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}
