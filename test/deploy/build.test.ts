/**
 * `npm run build` compiles the CDS service to JavaScript and production runs that, not the
 * TypeScript runner: the compiled entry point starts, answers /healthz and stops on SIGTERM.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runMain } from "../cds-service/support/run-main.ts";
import { serviceDir } from "../cds-service/support/main-with-ehr.ts";
import { PUBLIC_BASE_URL } from "../cds-service/support/test-service.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUILD = join(ROOT, "build");

describe("npm run build", () => {
  it("compiles the service so that node runs it without the TypeScript runner", async () => {
    await promisify(execFile)(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT });
    const js = readdirSync(BUILD, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));
    expect(js).toContain(join("cds-service", "main.js"));
    for (const file of js) expect(readFileSync(join(BUILD, file), "utf8"), file).not.toMatch(/from "\.{1,2}\/[^"]*\.ts"/);

    const dir = serviceDir();
    const config = { port: 0, workers: 1, publicBaseUrl: PUBLIC_BASE_URL, jwt: { replayCachePath: join(dir, "replay.sqlite") }, feedback: { dbPath: join(dir, "feedback.sqlite") } };
    writeFileSync(join(dir, "config.json"), JSON.stringify(config));
    const main = runMain({ PATELLA_CDS_CONFIG: join(dir, "config.json") }, ["build/cds-service/main.js"]);
    try {
      const out = await main.waitFor("CDS service listening");
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out)![1];
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      main.kill();
    }
    const { code, out } = await main.done;
    expect(code).toBe(0);
    expect(out).toContain('"msg":"stopped"');
  }, 300_000);
});
