/**
 * The sandbox's app server: the app URL `npm start` prints opens the app's standalone launch
 * (the sandbox's patient picker, then the app) instead of answering 404.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standaloneLaunchPath } from "../../sandbox/demo-stack.ts";
import { startStaticServer, type StaticServer } from "../../sandbox/static-server.ts";

const FHIR = "http://127.0.0.1:4100/fhir";
let dir: string;
let server: StaticServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "patella-static-"));
  await writeFile(join(dir, "launch.html"), "<!doctype html><title>launch</title>");
  server = await startStaticServer(dir, 0, "127.0.0.1", "SMART app server", {
    jsonFiles: { "/patella-app.json": { clientId: "x" } },
    home: standaloneLaunchPath(FHIR),
  });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the sandbox's app server", () => {
  it("sends / to the standalone launch with the sandbox's FHIR server as iss", async () => {
    const res = await fetch(`${server.url}/`, { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!, server.url);
    expect(location.pathname).toBe("/launch.html");
    expect(location.searchParams.get("iss")).toBe(FHIR);
    const followed = await fetch(`${server.url}/`);
    expect(followed.status).toBe(200);
    expect(await followed.text()).toContain("<title>launch</title>");
  });

  it("still serves the files and the JSON put in their place", async () => {
    expect(await (await fetch(`${server.url}/patella-app.json`)).json()).toEqual({ clientId: "x" });
    expect((await fetch(`${server.url}/missing.html`)).status).toBe(404);
  });
});
