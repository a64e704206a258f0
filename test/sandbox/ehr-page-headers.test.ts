/**
 * The EHR page's Content-Security-Policy and frame protection: it loads its own script, style
 * sheet and data: icon and calls its own /ehr/api; it frames only the registered SMART apps'
 * origins and the EHR's own (its /auth/authorize, during an EHR launch); nothing may frame it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../sandbox/sandbox-server.ts";
import { FIXTURE_RESOURCES } from "./fixtures.ts";

/** A CSP header as directive name -> its values. */
function directives(header: string | null): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of (header ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name] = values;
  }
  return out;
}

let dir: string;
let sandbox: Sandbox;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "patella-ehr-headers-"));
  await writeFile(join(dir, "index.html"), "<!doctype html><title>page</title>");
  sandbox = await startSandbox({ port: 0, resources: FIXTURE_RESOURCES, pageDir: dir });
});
afterAll(async () => {
  await sandbox?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the EHR page's headers", () => {
  it("a CSP for what the page loads, framing only the EHR's own origin before an app is registered, and framed by nothing", async () => {
    const res = await fetch(`${sandbox.url}/`);
    expect(res.status).toBe(200);
    expect(directives(res.headers.get("content-security-policy"))).toEqual({
      "default-src": ["'none'"],
      "script-src": ["'self'"],
      "style-src": ["'self'"],
      "img-src": ["'self'", "data:"],
      "connect-src": ["'self'"],
      "frame-src": [sandbox.url],
      "base-uri": ["'none'"],
      "form-action": ["'none'"],
      "object-src": ["'none'"],
      "frame-ancestors": ["'none'"],
    });
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("frame-src names exactly the registered apps' origins (from their redirect URIs), read at each request", async () => {
    sandbox.appClients.push(
      { clientId: "app-a", redirectUris: ["http://127.0.0.1:45102/app/index.html", "http://127.0.0.1:45102/other.html"] },
      { clientId: "app-b", redirectUris: ["https://apps.example.org:8443/smart/cb"] },
    );
    try {
      for (const path of ["/", "/index.html"]) {
        const res = await fetch(`${sandbox.url}${path}`);
        expect(directives(res.headers.get("content-security-policy"))["frame-src"], path).toEqual([sandbox.url, "http://127.0.0.1:45102", "https://apps.example.org:8443"]);
        expect(res.headers.get("x-frame-options")).toBe("DENY");
      }
    } finally {
      sandbox.appClients.length = 0;
    }
  });

  it("is the page's only: the FHIR server's answers carry no page CSP", async () => {
    const res = await fetch(`${sandbox.url}/fhir/metadata`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBeNull();
  });
});
