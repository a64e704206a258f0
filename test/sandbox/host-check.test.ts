/**
 * The DNS rebinding guard of every sandbox server (EHR with its page, FHIR and SMART servers;
 * the app server; the in-process CDS service): a request whose Host header is not the server's
 * loopback name and port gets 421 with a text saying why; 127.0.0.1:<port> and
 * localhost:<port> are served as before.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCdsService, type RunningCds } from "../../sandbox/cds-runner.ts";
import { modelPathsFromEnv } from "../../sandbox/demo-stack.ts";
import { REPO_ROOT } from "../../sandbox/build-front-ends.ts";
import { allowedHosts } from "../../sandbox/host-check.ts";
import { startSandbox, type Sandbox } from "../../sandbox/sandbox-server.ts";
import { startStaticServer, type StaticServer } from "../../sandbox/static-server.ts";
import { FIXTURE_RESOURCES } from "./fixtures.ts";

interface Answer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** GET `path` on 127.0.0.1:`port` with this Host header. */
function getWithHost(port: number, path: string, host: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", setHost: false, headers: { Host: host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: res.headers["content-type"], body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The status line of an HTTP/1.0 GET without a Host header (which HTTP/1.0 allows). */
function http10StatusLine(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(`GET ${path} HTTP/1.0\r\n\r\n`));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("end", () => resolve(answer.split("\r\n", 1)[0]!));
    socket.on("error", reject);
  });
}

const portOf = (url: string): number => Number(new URL(url).port);

let dir: string;
let ehr: Sandbox;
let app: StaticServer;
let cds: RunningCds;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "patella-host-check-"));
  await writeFile(join(dir, "index.html"), "<!doctype html><title>page</title>");
  ehr = await startSandbox({ port: 0, resources: FIXTURE_RESOURCES, pageDir: dir });
  app = await startStaticServer(dir, 0, "127.0.0.1", "SMART app server", { home: "/index.html" });
  cds = await startCdsService({
    host: "127.0.0.1",
    port: 0,
    ehr,
    appLaunchUrl: `${app.url}/launch.html`,
    ...modelPathsFromEnv(),
    modelCardPath: `${REPO_ROOT}models/deep-koa/MODEL_CARD.md`,
    feedbackDbPath: ":memory:",
  });
}, 60_000);
afterAll(async () => {
  await cds?.close();
  await app?.close();
  await ehr?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("allowedHosts", () => {
  it("names the loopback address and localhost, with the port", () => {
    expect(allowedHosts({ address: "127.0.0.1", family: "IPv4", port: 4100 })).toEqual(["localhost:4100", "127.0.0.1:4100"]);
    expect(allowedHosts({ address: "::1", family: "IPv6", port: 4101 })).toEqual(["localhost:4101", "[::1]:4101"]);
    // A browser omits the default port.
    expect(allowedHosts({ address: "127.0.0.1", family: "IPv4", port: 80 })).toEqual(["localhost:80", "127.0.0.1:80", "localhost", "127.0.0.1"]);
  });
});

describe.each([
  ["EHR page", () => ({ port: portOf(ehr.url), path: "/index.html", served: 200 })],
  ["EHR FHIR server", () => ({ port: portOf(ehr.url), path: "/fhir/metadata", served: 200 })],
  ["EHR SMART configuration", () => ({ port: portOf(ehr.url), path: "/fhir/.well-known/smart-configuration", served: 200 })],
  ["EHR hook JWKS", () => ({ port: portOf(ehr.url), path: "/.well-known/jwks.json", served: 200 })],
  ["app server", () => ({ port: portOf(app.url), path: "/index.html", served: 200 })],
  ["CDS service", () => ({ port: portOf(cds.url), path: "/healthz", served: 200 })],
])("the %s", (_name, target) => {
  it("refuses Host evil.example (a rebound DNS name) with 421 and a text saying why", async () => {
    const { port, path } = target();
    for (const host of ["evil.example", `evil.example:${port}`]) {
      const answer = await getWithHost(port, path, host);
      expect(answer.status, host).toBe(421);
      expect(answer.contentType).toBe("text/plain; charset=utf-8");
      expect(answer.body).toBe(
        `Refused (Host ${JSON.stringify(host)}): this Patella sandbox server answers only requests addressed to localhost:${port} or 127.0.0.1:${port}. ` +
          "A page that reaches it under another name may be a DNS rebinding attack (sandbox/README.md).\n",
      );
    }
  });

  it("refuses a loopback name with another port or none, [::1] (it listens on IPv4 only), and no Host at all", async () => {
    const { port, path } = target();
    for (const host of [`127.0.0.1:${port + 1}`, "127.0.0.1", "localhost", `[::1]:${port}`, `127.0.0.1.evil.example:${port}`]) {
      expect((await getWithHost(port, path, host)).status, host).toBe(421);
    }
    // HTTP/1.1 without Host is refused by Node itself (400); HTTP/1.0 may omit it, and is refused here.
    await expect(http10StatusLine(port, path)).resolves.toBe("HTTP/1.1 421 Misdirected Request");
  });

  it("serves Host 127.0.0.1:<port> and localhost:<port> (any case)", async () => {
    const { port, path, served } = target();
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`]) {
      expect((await getWithHost(port, path, host)).status, host).toBe(served);
    }
  });
});
