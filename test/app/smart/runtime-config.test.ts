/**
 * The app's runtime config (patella-app.json) and the FHIR servers a launch may name: only those
 * the site lists, only over https (plain http on this machine only).
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchOverrides, loadRuntimeConfig, type RuntimeConfig, untrustedServer } from "../../../app/smart/runtime-config.ts";

const CONFIG_URL = "https://app.example/patella-app.json";
let served: Record<string, unknown> = {};
const server = setupServer(http.get(CONFIG_URL, () => HttpResponse.json(served)));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const BASE = { clientId: "patella-app", redirectUri: "app/index.html", scopes: ["patient/Patient.rs"] };

function load(config: Record<string, unknown>): Promise<RuntimeConfig> {
  served = { ...BASE, ...config };
  return loadRuntimeConfig(CONFIG_URL);
}

describe("loadRuntimeConfig: fhirServers", () => {
  it("is required, with at least one server, the error in words (zod/mini has no locale of its own: shared/zod-mini.ts)", async () => {
    await expect(load({})).rejects.toThrow("patella-app.json: fhirServers: Invalid input: expected array, received undefined");
    await expect(load({ fhirServers: [] })).rejects.toThrow("patella-app.json: fhirServers: at least one FHIR server");
  });

  it("refuses plain http to another machine, and what is not a URL, naming the entry", async () => {
    await expect(load({ fhirServers: ["https://ehr.example/fhir", "http://ehr.example/fhir"] })).rejects.toThrow(
      "patella-app.json: fhirServers.1: an https URL (plain http only on loopback)",
    );
    await expect(load({ fhirServers: ["ehr.example/fhir"] })).rejects.toThrow("patella-app.json: fhirServers.0: an https URL");
  });

  it("takes https anywhere and http on loopback, each in one spelling (no trailing slash, host in lower case)", async () => {
    const config = await load({ fhirServers: ["https://EHR.example/fhir/r4/", "http://127.0.0.1:4100/fhir", "http://localhost:8080/fhir"] });
    expect(config.fhirServers).toEqual(["https://ehr.example/fhir/r4", "http://127.0.0.1:4100/fhir", "http://localhost:8080/fhir"]);
  });
});

describe("loadRuntimeConfig: imagingImageOrigins", () => {
  const SERVERS = { fhirServers: ["https://ehr.example/fhir"] };

  it("keeps each image server as its origin, as a heat map's address is compared", async () => {
    const config = await load({ ...SERVERS, imagingImageOrigins: ["HTTPS://PACS.example.org/dicomweb/", "http://127.0.0.1:8042"] });
    expect(config.imagingImageOrigins).toEqual(["https://pacs.example.org", "http://127.0.0.1:8042"]);
  });

  it("refuses what is not an http(s) URL, naming the entry", async () => {
    await expect(load({ ...SERVERS, imagingImageOrigins: ["pacs.example.org"] })).rejects.toThrow("patella-app.json: imagingImageOrigins.0:");
    await expect(load({ ...SERVERS, imagingImageOrigins: ["https://pacs.example.org", "ftp://pacs.example.org"] })).rejects.toThrow(
      "patella-app.json: imagingImageOrigins.1: an https origin (plain http only on loopback)",
    );
    // A heat map is patient data: not in the clear to another machine, as for the FHIR servers.
    await expect(load({ ...SERVERS, imagingImageOrigins: ["http://pacs.example.org"] })).rejects.toThrow("patella-app.json: imagingImageOrigins.0: an https origin");
  });
});

describe("loadRuntimeConfig: imagingViewerUrl", () => {
  const SERVERS = { fhirServers: ["https://ehr.example/fhir"] };

  it("takes an https template, plain http on loopback, and a {wadoRsBase} start (checked per link)", async () => {
    for (const template of ["https://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}", "http://127.0.0.1:3000/viewer?StudyInstanceUIDs={studyUid}", "{wadoRsBase}/studies/{studyUid}"]) {
      await expect(load({ ...SERVERS, imagingViewerUrl: template })).resolves.toMatchObject({ imagingViewerUrl: template });
    }
  });

  it("refuses plain http to another machine: its links carry Study Instance UIDs", async () => {
    await expect(load({ ...SERVERS, imagingViewerUrl: "http://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}" })).rejects.toThrow(
      "patella-app.json: imagingViewerUrl: an https URL template (plain http only on loopback)",
    );
  });
});

describe("loadRuntimeConfig: addresses relative to the config (beside launch.html)", () => {
  // A site serving Patella under /patella/: launch.html and patella-app.json sit in that folder,
  // the app page in /patella/app/, the built model card beside launch.html.
  const SITE_CONFIG = "https://ehr.example/patella/patella-app.json";
  const loadFromSite = (config: Record<string, unknown>) => {
    server.use(http.get(SITE_CONFIG, () => HttpResponse.json({ ...BASE, fhirServers: ["https://ehr.example/fhir"], ...config })));
    return loadRuntimeConfig(SITE_CONFIG);
  };

  it("resolves a relative modelCardUrl and redirectUri against the config's folder, not the app page's", async () => {
    const config = await loadFromSite({ modelCardUrl: "model-card.html", redirectUri: "app/index.html" });
    expect(config.modelCardUrl).toBe("https://ehr.example/patella/model-card.html");
    expect(config.redirectUri).toBe("https://ehr.example/patella/app/index.html");
  });

  it("defaults modelCardUrl to the built model card beside launch.html, and keeps absolute addresses", async () => {
    expect((await loadFromSite({})).modelCardUrl).toBe("https://ehr.example/patella/model-card.html");
    const config = await loadFromSite({ modelCardUrl: "https://docs.example/card", redirectUri: "https://ehr.example/x/app.html" });
    expect(config.modelCardUrl).toBe("https://docs.example/card");
    expect(config.redirectUri).toBe("https://ehr.example/x/app.html");
  });
});

describe("loadRuntimeConfig: a file that is not JSON", () => {
  it("says the file is not valid JSON, with the parser's position", async () => {
    const broken = '{ "clientId": "patella-app" "redirectUri": "app/index.html" }';
    server.use(http.get(CONFIG_URL, () => new HttpResponse(broken, { headers: { "content-type": "application/json" } })));
    const failure = loadRuntimeConfig(CONFIG_URL);
    await expect(failure).rejects.toThrow(/^patella-app\.json: not valid JSON: .*position 28/);
  });
});

describe("untrustedServer", () => {
  const config = { ...BASE, fhirServers: ["https://ehr.example/fhir/r4", "http://127.0.0.1:4100/fhir"] } as RuntimeConfig;
  const check = (query: string) => untrustedServer(config, new URLSearchParams(query));

  it("lets a launch go to a listed server, however its URL is spelt", () => {
    expect(check("iss=https%3A%2F%2Fehr.example%2Ffhir%2Fr4&launch=abc")).toBeUndefined();
    expect(check("iss=https%3A%2F%2FEHR.example%2Ffhir%2Fr4%2F")).toBeUndefined();
    expect(check("iss=http%3A%2F%2F127.0.0.1%3A4100%2Ffhir")).toBeUndefined();
  });

  it("refuses a server not listed, quoting only its origin", () => {
    const unlisted = "Patella is not set up for the FHIR server at https://evil.example: the site lists its servers in patella-app.json (fhirServers)";
    expect(check("iss=https%3A%2F%2Fevil.example%2Ffhir%2Fr4%3Fcall%3D555-0100")).toBe(unlisted);
    // Same origin, another path: another server.
    expect(check("iss=https%3A%2F%2Fehr.example%2Ffhir%2Fr5")).toBe(unlisted.replace("https://evil.example", "https://ehr.example"));
    expect(check("iss=http%3A%2F%2F127.0.0.1%3A4101%2Ffhir")).toBe(unlisted.replace("https://evil.example", "http://127.0.0.1:4101"));
  });

  it("refuses plain http to another machine even when the https spelling is listed", () => {
    expect(check("iss=http%3A%2F%2Fehr.example%2Ffhir%2Fr4")).toBe("the launch names a FHIR server that is not an https address");
    expect(check("iss=not-a-url")).toBe("the launch names a FHIR server that is not an https address");
  });

  it("reads the server from iss only (a link with fhirServiceUrl is refused by launchOverrides)", () => {
    expect(check("fhirServiceUrl=https%3A%2F%2Fehr.example%2Ffhir%2Fr4")).toBe("the launch names no FHIR server (iss)");
    expect(check("iss=https%3A%2F%2Fevil.example%2Ffhir&fhirServiceUrl=https%3A%2F%2Fehr.example%2Ffhir%2Fr4")).toContain("https://evil.example");
    expect(check("launch=abc")).toBe("the launch names no FHIR server (iss)");
  });
});

describe("launchOverrides", () => {
  const check = (query: string) => launchOverrides(new URLSearchParams(query));
  const refusal = (names: string) =>
    `the launch link sets ${names}, which an EHR never sends: Patella takes its client id from patella-app.json and the patient from the EHR's authorization`;

  it("lets the EHR's own parameters through: iss and launch, and what fhirclient does not read from the link", () => {
    expect(check("iss=https%3A%2F%2Fehr.example%2Ffhir%2Fr4&launch=abc")).toBeUndefined();
    // fhirclient takes encounterId from authorize()'s options only, and reads names case-sensitively.
    expect(check("iss=https%3A%2F%2Fehr.example%2Ffhir%2Fr4&encounterId=e1&clientid=x&PatientId=y")).toBeUndefined();
  });

  it("refuses each parameter fhirclient would take over the site's settings, even empty, naming it without its value", () => {
    expect(check("iss=https%3A%2F%2Fehr.example%2Ffhir&clientId=other-client")).toBe(refusal("clientId"));
    expect(check("iss=https%3A%2F%2Fehr.example%2Ffhir&patientId=p2")).toBe(refusal("patientId"));
    expect(check("fhirServiceUrl=https%3A%2F%2Fehr.example%2Ffhir")).toBe(refusal("fhirServiceUrl"));
    expect(check("clientId=&patientId=p2&fhirServiceUrl=x")).toBe(refusal("clientId, patientId, fhirServiceUrl"));
  });
});

describe("loadRuntimeConfig: scopes", () => {
  const VITAL_SIGNS = "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";

  it("takes a granular SMART v2 scope (a search-parameter suffix, SMART App Launch 2.x)", async () => {
    const config = await load({ fhirServers: ["https://ehr.example/fhir"], scopes: ["patient/Patient.rs", VITAL_SIGNS, `${VITAL_SIGNS}&_security=N`] });
    expect(config.scopes).toEqual(["patient/Patient.rs", VITAL_SIGNS, `${VITAL_SIGNS}&_security=N`]);
  });

  it.each([
    ["a write scope", "patient/Observation.cruds?category=vital-signs"],
    ["an empty suffix", "patient/Observation.rs?"],
    ["a parameter without a value", "patient/Observation.rs?category"],
    ["a space inside", "patient/Observation.rs?category=vital signs"],
    ["no permission letters", "patient/Observation."],
    ["a SMART v1 scope (the config asks in v2)", "patient/Observation.read"],
    ["a wildcard type", "patient/*.rs"],
    ["a user scope", "user/Observation.rs"],
  ])("refuses %s, naming the entry", async (_what, scope) => {
    await expect(load({ fhirServers: ["https://ehr.example/fhir"], scopes: ["patient/Patient.rs", scope] })).rejects.toThrow(
      "patella-app.json: scopes.1: a read-only patient/X.rs scope",
    );
  });
});
