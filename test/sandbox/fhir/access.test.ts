import type { Bundle } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueAccessToken, type AccessClaims } from "../../../sandbox/auth/access-token.ts";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { FIXTURE_RESOURCES } from "../fixtures.ts";

let clock = Date.parse("2026-01-01T00:00:00Z");
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, resources: FIXTURE_RESOURCES, grants: { now: () => clock }, slowDelayMs: 300 });
});
afterAll(() => sandbox.close());

function tokenFor(claims: Partial<AccessClaims>, ttl = 600): Promise<string> {
  return issueAccessToken(sandbox.tokenSigner, { clientId: "t", scopes: [], ...claims }, ttl);
}

async function get(path: string, token?: string): Promise<Response> {
  return fetch(`${sandbox.fhirBaseUrl}/${path}`, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });
}

const aliceToken = () => tokenFor({ scopes: ["patient/Patient.rs", "patient/Condition.rs"], patient: "alice" });

describe("public endpoints", () => {
  it("serves a CapabilityStatement listing search parameters, and the SMART configuration", async () => {
    const cs = (await (await get("metadata")).json()) as { rest: { resource: { type: string; searchParam: { name: string }[] }[] }[] };
    const condition = cs.rest[0]?.resource.find((r) => r.type === "Condition");
    expect(condition?.searchParam.map((p) => p.name)).toEqual(expect.arrayContaining(["patient", "code", "onset-date"]));
    const smart = (await (await get(".well-known/smart-configuration")).json()) as Record<string, unknown>;
    expect(smart.code_challenge_methods_supported).toEqual(["S256"]);
    expect(smart.capabilities).toContain("permission-v2");
    expect(smart.token_endpoint).toBe(`${sandbox.url}/auth/token`);
  });
});

describe("bearer tokens", () => {
  it("refuses a request without a token, with an OperationOutcome", async () => {
    const res = await get("Patient/alice");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe("OperationOutcome");
  });

  it("refuses an expired token", async () => {
    const token = await tokenFor({ scopes: ["patient/Patient.rs"], patient: "alice" }, 60);
    expect((await get("Patient/alice", token)).status).toBe(200);
    clock += 61_000;
    expect((await get("Patient/alice", token)).status).toBe(401);
  });

  it("refuses a token signed by another key", async () => {
    const forged = `${(await aliceToken()).slice(0, -6)}AAAAAA`;
    expect((await get("Patient/alice", forged)).status).toBe(401);
  });
});

describe("scopes and the patient in context", () => {
  it("reads and searches inside the grant", async () => {
    const token = await aliceToken();
    expect((await get("Patient/alice", token)).status).toBe(200);
    const bundle = (await (await get("Condition?patient=alice", token)).json()) as Bundle;
    expect(bundle.total).toBe(7);
  });

  it("refuses a resource type outside the granted scopes", async () => {
    const res = await get("Observation?patient=alice", await aliceToken());
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toContain("do not allow searching Observation");
  });

  it("refuses a read scope used for search and vice versa", async () => {
    const readOnly = await tokenFor({ scopes: ["patient/Condition.r"], patient: "alice" });
    expect((await get("Condition?patient=alice", readOnly)).status).toBe(403);
    expect((await get("Condition/alice-cond-0", readOnly)).status).toBe(200);
  });

  it("refuses another patient's data by read and by search", async () => {
    const token = await aliceToken();
    expect((await get("Patient/bob", token)).status).toBe(403);
    expect((await get("Condition/bob-cond-0", token)).status).toBe(403);
    expect((await get("Condition?patient=bob", token)).status).toBe(403);
    expect((await get("Condition", token)).status).toBe(403);
  });

  it("lets user/ and system/ scopes read every patient", async () => {
    const token = await tokenFor({ scopes: ["system/*.rs"] });
    const bundle = (await (await get("Condition", token)).json()) as Bundle;
    expect(bundle.total).toBe(9);
  });

  it("takes no POST of a single resource (writes are transactions at the base or PUT Type/id)", async () => {
    const res = await fetch(`${sandbox.fhirBaseUrl}/Patient`, { method: "POST", headers: { Authorization: `Bearer ${await aliceToken()}` }, body: "{}" });
    expect(res.status).toBe(405);
  });
});

describe("paging", () => {
  it("pages a search with next links until the end", async () => {
    const token = await aliceToken();
    let url: string | undefined = `${sandbox.fhirBaseUrl}/Condition?patient=alice&_count=3`;
    const ids: string[] = [];
    while (url) {
      const page = (await (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).json()) as Bundle;
      ids.push(...(page.entry ?? []).map((e) => e.resource?.id ?? ""));
      url = page.link?.find((l) => l.relation === "next")?.url;
    }
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });
});

describe("fault injection carried by the token", () => {
  it("fails with 503 or answers slowly, for that token only", async () => {
    const fail = await tokenFor({ scopes: ["patient/Patient.rs"], patient: "alice", fault: "fail" });
    expect((await get("Patient/alice", fail)).status).toBe(503);
    const slow = await tokenFor({ scopes: ["patient/Patient.rs"], patient: "alice", fault: "slow" });
    const started = performance.now();
    expect((await get("Patient/alice", slow)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe("strict search parameters", () => {
  it("refuses unknown parameters, modifiers and sort keys instead of answering with nothing", async () => {
    const token = await aliceToken();
    for (const query of ["foo=bar", "code:bogus=1", "_sort=nope"]) {
      const res = await get(`Condition?patient=alice&${query}`, token);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { resourceType: string }).resourceType).toBe("OperationOutcome");
    }
    expect((await get("Condition?patient=alice&code=http://snomed.info/sct|38341003&_sort=-onset-date", token)).status).toBe(200);
  });
});
