import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../cds-service/config.ts";

const dir = mkdtempSync(join(tmpdir(), "patella-cds-config-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("CDS service configuration", () => {
  it("fills defaults and strips a trailing slash from the public URL", () => {
    const config = parseConfig({ publicBaseUrl: "https://cds.example.org/" });
    expect(config.publicBaseUrl).toBe("https://cds.example.org");
    expect(config.cards.minTier).toBe("moderate");
    expect(config.jwt.clockSkewSeconds).toBe(30);
    expect(config.allowUnsignedLoopback).toBe(false);
    expect(config.feedback.dbPath).toBe("var/cds-feedback.sqlite");
  });

  it("takes signing keys (jwksUrl, allowedJku) over https, or plain http only on loopback", () => {
    const withIssuer = (issuer: Record<string, unknown>) => () => parseConfig({ publicBaseUrl: "https://cds.example.org", issuers: [{ iss: "ehr", ...issuer }] });
    expect(withIssuer({ jwksUrl: "http://ehr.example.org/jwks" })).toThrow(/issuers\.0\.jwksUrl: must be https/);
    expect(withIssuer({ jwksUrl: "https://ehr.example.org/jwks", allowedJku: ["http://ehr.example.org/other"] })).toThrow(/issuers\.0\.allowedJku\.0: must be https/);
    for (const local of ["http://127.0.0.1:8080/jwks", "http://localhost:8080/jwks", "http://[::1]:8080/jwks"]) {
      expect(withIssuer({ jwksUrl: local, allowedJku: [local] })().issuers[0]!.jwksUrl).toBe(local);
    }
  });

  it("reads a JSON file and lets environment variables override it", () => {
    const path = file("ok.json", JSON.stringify({ publicBaseUrl: "https://a.example", port: 4000, issuers: [{ iss: "ehr", jwksUrl: "https://ehr.example/jwks" }] }));
    const config = loadConfig({ PATELLA_CDS_CONFIG: path, PORT: "4100", PATELLA_CDS_MIN_TIER: "high" });
    expect(config.port).toBe(4100);
    expect(config.cards.minTier).toBe("high");
    expect(config.issuers[0]!.quirks).toEqual({ appContextInLaunchUrl: false, audience: "endpoint" });
  });

  it("names every problem with its path, including misspelt keys", () => {
    const attempt = () => parseConfig({ publicBaseUrl: "ftp://x", cards: { minTeir: "low" }, port: -1 });
    expect(attempt).toThrow(/  publicBaseUrl: Invalid URL/);
    expect(attempt).toThrow(/  cards: Unrecognized key: "minTeir"/);
    expect(attempt).toThrow(/  port: /);
  });

  it("names the file when it is missing or not JSON", () => {
    expect(() => loadConfig({ PATELLA_CDS_CONFIG: join(dir, "missing.json") })).toThrow(/Cannot read config file .*missing\.json/);
    const bad = file("bad.json", "{ not json");
    expect(() => loadConfig({ PATELLA_CDS_CONFIG: bad })).toThrow(/Config file .*bad\.json is not valid/);
  });

  it("says where a config file's JSON breaks without quoting it, as it may hold a secret", () => {
    // A comma missing after the token: the parser stops at the next key's quote, line 2, column 54
    // (counted by hand, 53 characters before it: 2 spaces, 12 for `"feedback": `, 1 for `{`, 17
    // for `"operatorToken": `, 20 for the quoted token and 1 space).
    const missingComma = file("comma.json", '{\n  "feedback": {"operatorToken": "s3cr3t-TOKEN-12345" "dbPath": "x"}\n}');
    expect(() => loadConfig({ PATELLA_CDS_CONFIG: missingComma })).toThrow(/is not valid: JSON syntax error at line 2, column 54 /);
    // V8 words this fault without a position, quoting the whole text instead.
    const badLiteral = file("literal.json", '{"feedback": {"operatorToken": "s3cr3t-TOKEN-12345"}, "x": tru}');
    for (const path of [missingComma, badLiteral]) expect(() => loadConfig({ PATELLA_CDS_CONFIG: path })).toThrow(/^(?![\s\S]*s3cr3t)[\s\S]*JSON syntax error/);
  });

  it("reads a config file saved with a UTF-8 byte-order mark", () => {
    const withMark = file("bom.json", `\uFEFF${JSON.stringify({ publicBaseUrl: "https://a.example", cards: { minTier: "high" } })}`);
    expect(loadConfig({ PATELLA_CDS_CONFIG: withMark }).cards.minTier).toBe("high");
  });

  it("takes each tier name as the minimum tier for a card, from the file or the environment", () => {
    for (const minTier of ["low", "moderate", "high"]) {
      const path = file(`tier-${minTier}.json`, JSON.stringify({ publicBaseUrl: "https://a.example", cards: { minTier } }));
      expect(loadConfig({ PATELLA_CDS_CONFIG: path }).cards.minTier).toBe(minTier);
      expect(loadConfig({ PATELLA_CDS_PUBLIC_URL: "https://a.example", PATELLA_CDS_MIN_TIER: minTier }).cards.minTier).toBe(minTier);
    }
  });

  it("refuses a minimum tier that is not a tier name, naming cards.minTier and the tiers it takes", () => {
    // A threshold instead of a name, another spelling, a tier that does not exist, none at all.
    for (const minTier of [0.05, "High", "critical", "", null]) {
      const path = file("bad-tier.json", JSON.stringify({ publicBaseUrl: "https://a.example", cards: { minTier } }));
      expect(() => loadConfig({ PATELLA_CDS_CONFIG: path }), JSON.stringify(minTier)).toThrow(
        `Invalid configuration (${path} + environment):\n  cards.minTier: Invalid option: expected one of "low"|"moderate"|"high"`,
      );
    }
    expect(() => loadConfig({ PATELLA_CDS_PUBLIC_URL: "https://a.example", PATELLA_CDS_MIN_TIER: "critical" })).toThrow(
      'Invalid configuration (environment):\n  cards.minTier: Invalid option: expected one of "low"|"moderate"|"high"',
    );
  });

  it("says where a setting that is missing or wrong came from or can be set: its environment variable, the file, or neither", () => {
    expect(() => loadConfig({})).toThrow(
      "Invalid configuration (environment):\n  publicBaseUrl: Invalid input: expected string, received undefined (config file, or environment variable PATELLA_CDS_PUBLIC_URL)",
    );
    expect(() => loadConfig({ PATELLA_CDS_PUBLIC_URL: "https://x.example", PATELLA_CDS_ISSUERS: '[{"iss":"a"}]' })).toThrow(/\n  issuers\.0\.jwksUrl: .* \(from environment variable PATELLA_CDS_ISSUERS\)/);
    // The same mistake in the file: the variable, not set, is not blamed.
    const fromFile = file("bad-issuer.json", JSON.stringify({ publicBaseUrl: "https://a.example", issuers: [{ iss: "a" }] }));
    expect(() => loadConfig({ PATELLA_CDS_CONFIG: fromFile })).toThrow(/\n  issuers\.0\.jwksUrl: .* \(config file, or environment variable PATELLA_CDS_ISSUERS\)/);
    const path = file("bad-page-size.json", JSON.stringify({ publicBaseUrl: "https://a.example", fhir: { pageSize: 0 } }));
    expect(() => loadConfig({ PATELLA_CDS_CONFIG: path })).toThrow(/\n  fhir\.pageSize: [^\n]*[^)]$/);
  });

  it("names the environment variable that is not valid", () => {
    expect(() => loadConfig({ PATELLA_CDS_PUBLIC_URL: "https://x.example", PATELLA_CDS_ISSUERS: "[oops" })).toThrow(/PATELLA_CDS_ISSUERS/);
    expect(() => loadConfig({ PATELLA_CDS_PUBLIC_URL: "https://x.example", PATELLA_CDS_MIN_TIER: "extreme" })).toThrow(/cards\.minTier/);
  });
});
