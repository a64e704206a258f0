/**
 * Every way an EHR's JWT can be wrong, over HTTP: each answer is a bare 401 OperationOutcome.
 */
import { generateKeyPair, SignJWT } from "jose";
import { http, HttpResponse } from "msw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hookBody } from "../support/hook-requests.ts";
import { captureLog, type CapturedLog } from "../support/log-capture.ts";
import { createTestEhr, unsignedToken, type TestEhr } from "../support/test-ehr.ts";
import { HOOK_PATH, startTestService, type TestService } from "../support/test-service.ts";

const ALLOWED_JKU = "https://ehr.test.example/alt-jwks.json";

describe("EHR JWT verification", () => {
  let svc: TestService;
  let ehr: TestEhr;
  let altEhr: TestEhr;
  let jwksFetches = 0;
  beforeAll(async () => {
    ehr = await createTestEhr();
    altEhr = await createTestEhr(ehr.iss, "RS384");
    svc = await startTestService({
      ehr,
      config: {
        issuers: [{ iss: ehr.iss, jwksUrl: ehr.jwksUrl, allowedJku: [ALLOWED_JKU] }],
        jwt: { clockSkewSeconds: 5, jwksCooldownMs: 0 },
      },
      handlers: [http.get(ALLOWED_JKU, () => { jwksFetches++; return HttpResponse.json(altEhr.jwks); })],
    });
  });
  afterAll(() => svc.close());

  const expectRejected = async (token: string | null, path = HOOK_PATH) => {
    const res = await svc.call("POST", path, { body: hookBody(), token });
    expect(res.status).toBe(401);
    // RFC 6750, section 3.1: the error code only when a token was presented.
    expect(res.headers.get("www-authenticate")).toBe(token === null ? 'Bearer realm="cds-services"' : 'Bearer realm="cds-services", error="invalid_token"');
    expect(res.body.issue[0].diagnostics).toBe("Unauthorized");
    return res;
  };
  const aud = () => svc.audience(HOOK_PATH);

  it("accepts a valid ES384 token for the exact endpoint URL", async () => {
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody() });
    expect(res.status).toBe(200);
  });

  it("accepts RS384 keys fetched from an allowed jku", async () => {
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody(), token: await altEhr.sign(aud(), { jku: ALLOWED_JKU }) });
    expect(res.status).toBe(200);
    expect(jwksFetches).toBe(1);
  });

  it("refuses a missing token and a non-Bearer header", async () => {
    await expectRejected(null);
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody(), token: null, headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(res.status).toBe(401);
  });

  it("refuses a bad signature", async () => {
    const { privateKey } = await generateKeyPair("ES384");
    await expectRejected(await ehr.sign(aud(), { key: privateKey }));
    const good = await ehr.sign(aud());
    const [h, p, s] = good.split(".");
    const tampered = Buffer.from(p!, "base64url").toString().replace("test-client", "evil-client");
    await expectRejected(`${h}.${Buffer.from(tampered).toString("base64url")}.${s}`);
  });

  it("refuses alg none", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(unsignedToken({ iss: ehr.iss, aud: aud(), exp: now + 60, iat: now, jti: "none-1" }));
  });

  it("refuses HS256 (even keyed with the public JWK text) and ES256", async () => {
    const now = Math.floor(Date.now() / 1000);
    const secret = new TextEncoder().encode(JSON.stringify(ehr.jwks.keys[0]));
    const hs = await new SignJWT({ iss: ehr.iss, aud: aud(), exp: now + 60, iat: now, jti: "hs-1" })
      .setProtectedHeader({ alg: "HS256", kid: ehr.jwks.keys[0]!.kid! })
      .sign(secret);
    await expectRejected(hs);
    const es256 = await generateKeyPair("ES256");
    await expectRejected(await ehr.sign(aud(), { alg: "ES256", key: es256.privateKey }));
  });

  it("refuses a wrong aud: another endpoint, the base URL, another host", async () => {
    await expectRejected(await ehr.sign(svc.audience("/cds-services")));
    await expectRejected(await ehr.sign(svc.config.publicBaseUrl));
    await expectRejected(await ehr.sign("https://other.example/cds-services/koa-risk"));
  });

  it("refuses expired, not-yet-valid, future-issued and too-old tokens beyond the skew", async () => {
    await expectRejected(await ehr.sign(aud(), { expIn: -30, iatIn: -60 }));
    await expectRejected(await ehr.sign(aud(), { nbfIn: 60 }));
    await expectRejected(await ehr.sign(aud(), { iatIn: 120, expIn: 300 }));
    await expectRejected(await ehr.sign(aud(), { iatIn: -3600, expIn: 300 }));
  });

  it("accepts time claims within the configured clock skew", async () => {
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody(), token: await ehr.sign(aud(), { expIn: -2, iatIn: -60, nbfIn: 3 }) });
    expect(res.status).toBe(200);
  });

  it("refuses tokens without exp, iat or jti", async () => {
    for (const claim of ["exp", "iat", "jti"] as const) await expectRejected(await ehr.sign(aud(), { omit: [claim] }));
  });

  it("refuses an unknown issuer, even with a valid signature", async () => {
    await expectRejected(await ehr.sign(aud(), { iss: "https://unknown-ehr.example" }));
  });

  it("ignores a jku that is not allowed for the issuer: never fetched, the issuer's jwksUrl decides", async () => {
    let fetched = false;
    svc.msw.use(http.get("https://attacker.example/jwks.json", () => { fetched = true; return HttpResponse.json(altEhr.jwks); }));
    // Signed with a key of the issuer's jwksUrl: accepted, as the CDS Hooks sandbox's tokens are.
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody(), token: await ehr.sign(aud(), { jku: "https://attacker.example/jwks.json" }) });
    expect(res.status).toBe(200);
    // Signed with a key only the unlisted jku serves: refused.
    await expectRejected(await altEhr.sign(aud(), { jku: "https://attacker.example/jwks.json" }));
    expect(fetched).toBe(false);
  });

  it("accepts the endpoint URL as aud with or without one trailing slash, nothing looser", async () => {
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody(), token: await ehr.sign(`${aud()}/`) });
    expect(res.status).toBe(200);
    await expectRejected(await ehr.sign(`${aud()}//`));
    await expectRejected(await ehr.sign(`${aud()}/x`));
    await expectRejected(await ehr.sign(aud().toUpperCase()));
  });

  it("refuses a replayed jti", async () => {
    const token = await ehr.sign(aud());
    expect((await svc.call("POST", HOOK_PATH, { body: hookBody(), token })).status).toBe(200);
    await expectRejected(token);
  });

  it("refuses a token with an unknown kid after refreshing the JWKS", async () => {
    await expectRejected(await ehr.sign(aud(), { kid: "rotated-away" }));
  });

  it("refuses a token made for one endpoint at another (discovery, hook, feedback)", async () => {
    const forHook = await ehr.sign(aud());
    const forDiscovery = await ehr.sign(svc.audience("/cds-services"));
    expect((await svc.call("GET", "/cds-services", { token: forHook })).status).toBe(401);
    expect((await svc.call("POST", `${HOOK_PATH}/feedback`, { body: { feedback: [] }, token: forHook })).status).toBe(401);
    expect((await svc.call("POST", `${HOOK_PATH}/feedback`, { body: { feedback: [] }, token: forDiscovery })).status).toBe(401);
  });

  it("guards discovery and feedback too", async () => {
    await expectRejected(null, "/cds-services");
    await expectRejected(null, `${HOOK_PATH}/feedback`);
  });
});

describe("unsigned development mode", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ config: { allowUnsignedLoopback: true } });
  });
  afterAll(() => svc.close());

  it("accepts unsigned calls from loopback only when explicitly enabled, and still checks signed ones", async () => {
    expect((await svc.call("POST", HOOK_PATH, { body: hookBody(), token: null })).status).toBe(200);
    expect((await svc.call("POST", HOOK_PATH, { body: hookBody(), token: "not.a.jwt" })).status).toBe(401);
  });

  it("refuses unsigned calls from a web page whose Origin is not in corsOrigins (with \"*\", any Origin)", async () => {
    expect((await svc.call("POST", HOOK_PATH, { body: hookBody(), token: null, headers: { origin: "https://evil.example" } })).status).toBe(401);
  });

  it("refuses unsigned calls relayed by a proxy on loopback (forwarding headers name another client)", async () => {
    const relayed: Record<string, string>[] = [{ "x-forwarded-for": "203.0.113.7" }, { forwarded: "for=203.0.113.7" }, { "x-real-ip": "203.0.113.7" }];
    for (const headers of relayed) {
      expect((await svc.call("POST", HOOK_PATH, { body: hookBody(), token: null, headers })).status).toBe(401);
    }
  });
});

describe("unsigned development mode with listed browser origins", () => {
  it("admits unsigned loopback calls from a listed Origin only", async () => {
    const svc = await startTestService({ config: { allowUnsignedLoopback: true, corsOrigins: ["http://127.0.0.1:4100"] } });
    try {
      const unsigned = (origin: string) => svc.call("POST", HOOK_PATH, { body: hookBody(), token: null, headers: { origin } });
      expect((await unsigned("http://127.0.0.1:4100")).status).toBe(200);
      expect((await unsigned("http://127.0.0.1:8080")).status).toBe(401);
      expect((await unsigned("null")).status).toBe(401);
    } finally {
      await svc.close();
    }
  });
});

describe("key rotation", () => {
  it("fetches the JWKS again when a token names a kid it has not seen", async () => {
    const ehr = await createTestEhr();
    const rotated = await createTestEhr(ehr.iss);
    let current = ehr.jwks;
    let fetches = 0;
    const svc = await startTestService({
      ehr,
      config: { jwt: { jwksCooldownMs: 0 } },
      handlers: [http.get(ehr.jwksUrl, () => { fetches++; return HttpResponse.json(current); })],
    });
    try {
      expect((await svc.call("GET", "/cds-services")).status).toBe(200);
      current = { keys: [...ehr.jwks.keys, { ...rotated.jwks.keys[0]!, kid: "key-2" }] };
      const token = await rotated.sign(svc.audience("/cds-services"), { kid: "key-2" });
      expect((await svc.call("GET", "/cds-services", { token })).status).toBe(200);
      expect(fetches).toBe(2);
    } finally {
      await svc.close();
    }
  });
});

describe("JWKS refresh cooldown", () => {
  it("fetches the JWKS at most once per cooldown however many unknown kids an attacker sends", async () => {
    const ehr = await createTestEhr();
    let fetches = 0;
    const svc = await startTestService({
      ehr,
      config: { jwt: { jwksCooldownMs: 60_000 } },
      handlers: [http.get(ehr.jwksUrl, () => { fetches++; return HttpResponse.json(ehr.jwks); })],
    });
    try {
      const aud = svc.audience("/cds-services");
      for (let i = 0; i < 20; i++) {
        expect((await svc.call("GET", "/cds-services", { token: await ehr.sign(aud, { kid: `random-${i}` }) })).status).toBe(401);
      }
      // The first call loads the set, the first unknown kid may refresh it once; then the cooldown holds.
      expect(fetches).toBeLessThanOrEqual(2);
      expect((await svc.call("GET", "/cds-services")).status).toBe(200);
    } finally {
      await svc.close();
    }
  });
});

describe("JWKS outages", () => {
  /** A service whose EHR key server can be switched off, with a clock for the key cache. */
  async function withKeyServer() {
    const ehr = await createTestEhr();
    const state = { down: false, fetches: 0, clock: Date.now() };
    const log = captureLog();
    const svc = await startTestService({
      ehr,
      logger: log.logger,
      keyClock: () => state.clock,
      config: { jwt: { jwksCooldownMs: 30_000, jwksCacheMaxAgeMs: 600_000, jwksFailureBackoffMs: 5_000, jwksFailureBackoffMaxMs: 60_000 } },
      handlers: [
        http.get(ehr.jwksUrl, () => {
          state.fetches++;
          return state.down ? new HttpResponse("upstream down", { status: 503 }) : HttpResponse.json(ehr.jwks);
        }),
      ],
    });
    const status = async () => (await svc.call("GET", "/cds-services")).status;
    return { svc, state, log, status };
  }
  const failures = (log: CapturedLog) => log.entries().filter((e) => e.msg === "JWKS fetch failed");

  it("keeps verifying with the last good keys for 24 h past their lifetime, fetching once per backoff", async () => {
    const { svc, state, log, status } = await withKeyServer();
    try {
      expect(await status()).toBe(200);
      expect(state.fetches).toBe(1);
      state.down = true;
      state.clock += 11 * 60_000; // past the 10-minute lifetime
      for (let i = 0; i < 10; i++) expect(await status()).toBe(200);
      expect(state.fetches).toBe(2); // one failed fetch, then the 5 s backoff holds
      expect(failures(log)).toHaveLength(1);
      expect(failures(log)[0]).toMatchObject({ failure: "HTTP 503", consecutiveFailures: 1, nextFetchInMs: 5_000, servingLastGoodKeys: true });

      state.clock += 5_000;
      expect(await status()).toBe(200);
      expect(state.fetches).toBe(3);
      expect(failures(log)[1]).toMatchObject({ consecutiveFailures: 2, nextFetchInMs: 10_000 });

      state.clock += 24 * 3600_000; // the last good keys are now too old
      expect(await status()).toBe(401);
      expect(state.fetches).toBe(4);
      const refused = log.entries().filter((e) => e.msg === "authentication failed").at(-1);
      expect(refused?.reason).toBe("JWKS unavailable: HTTP 503");

      state.down = false;
      expect(await status()).toBe(401); // still backing off: no fetch
      expect(state.fetches).toBe(4);
      state.clock += 60_000;
      expect(await status()).toBe(200);
      expect(state.fetches).toBe(5);
    } finally {
      await svc.close();
    }
  });

  it("does not fetch per token while the key server is down from the start", async () => {
    const { svc, state, log, status } = await withKeyServer();
    try {
      state.down = true;
      for (let i = 0; i < 20; i++) expect(await status()).toBe(401);
      expect(state.fetches).toBe(1);
      expect(failures(log)[0]).toMatchObject({ servingLastGoodKeys: false });
      expect(log.entries().filter((e) => e.msg === "authentication failed").every((e) => e.reason === "JWKS unavailable: HTTP 503")).toBe(true);
    } finally {
      await svc.close();
    }
  });
});
