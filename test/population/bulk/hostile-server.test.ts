/**
 * The Bulk Data client against a hostile or broken FHIR server (mocked by msw): where the bearer
 * token may go, manifests of the wrong shape, a status endpoint that never finishes, downloads
 * that fail, and the client's own key file. Each server here answers what a real one might, and
 * the client must fail with a message that names the problem, or carry on safely.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { http, HttpResponse, delay, type JsonBodyType } from "msw";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { backendServicesToken, fetchWithToken } from "../../../population/bulk/backend-services-token.ts";
import { type BulkExportRequest, KickOffRefusedError, kickOffUrl } from "../../../population/bulk/bulk-export.ts";
import { exportFromFhir, exportScope } from "../../../population/bulk/export-input.ts";
import { tempDir } from "../fixtures.ts";
import { FAST_RETRY, mockedServer, runPatientExport } from "./export-harness.ts";

const BASE = "https://ehr.example/fhir";
const EVIL = "https://files.evil.example";
const TOKEN = "tok-for-ehr-only";
const PATIENT_LINE = `${JSON.stringify({ resourceType: "Patient", id: "p1" })}\n`;

/** The FHIR server and every other host (EVIL, ...); `seen`: the requests, with their Authorization header. */
const { server, seen } = mockedServer();

/** A kick-off answering 202 with `location` (or none), DELETE of the status URL accepted. */
function kickOffAnswers(location: string | null) {
  return http.get(`${BASE}/Patient/$export`, () => new HttpResponse(null, { status: 202, headers: location === null ? {} : { "content-location": location } }));
}

/** A server whose export is done at once with `manifest`, and whose files are all Patients. */
function serverWithManifest(manifest: JsonBodyType, fileHandlers = [http.get(/\/files\//, () => new HttpResponse(PATIENT_LINE))]) {
  server.use(
    kickOffAnswers(`${BASE}/export/1`),
    http.get(`${BASE}/export/1`, () => HttpResponse.json(manifest)),
    http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
    ...fileHandlers,
  );
}

const runExport = (extra: Partial<BulkExportRequest> = {}) => runPatientExport({ fhirBaseUrl: BASE, token: async () => TOKEN, ...extra });

const withToken = () => seen.filter((call) => call.authorization !== null).map((call) => new URL(call.url).origin);

describe("where the bearer token goes", () => {
  it("refuses output files on another host while requiresAccessToken is true, before sending the token there", async () => {
    serverWithManifest({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url: `${EVIL}/files/p.ndjson` }], error: [] });
    const { done } = runExport();
    await expect(done).rejects.toThrow(/https:\/\/files\.evil\.example.*not the FHIR server/);
    expect(new Set(withToken())).toEqual(new Set(["https://ehr.example"]));
    expect(seen.some((call) => call.url.startsWith(EVIL))).toBe(false);
  });

  it("refuses a file URL on the FHIR server's host over plain http (another scheme is another origin)", async () => {
    serverWithManifest({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url: "http://ehr.example/fhir/files/p.ndjson" }], error: [] });
    await expect(runExport().done).rejects.toThrow(/http:\/\/ehr\.example.*not the FHIR server/);
    expect(seen.some((call) => call.url.startsWith("http:"))).toBe(false);
  });

  it("downloads files of another host without the token when requiresAccessToken is false", async () => {
    serverWithManifest({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: false, output: [{ type: "Patient", url: `${EVIL}/files/p.ndjson` }], error: [] });
    const { done, dir } = runExport();
    await done;
    expect(readFileSync(join(dir, "files", "Patient.00000.ndjson"), "utf8")).toBe(PATIENT_LINE);
    const download = seen.find((call) => call.url === `${EVIL}/files/p.ndjson`)!;
    expect(download.authorization).toBeNull();
  });

  it("refuses a status URL (Content-Location) on another host, and polls nothing there", async () => {
    server.use(kickOffAnswers(`${EVIL}/status/1`));
    const { done, dir } = runExport();
    await expect(done).rejects.toThrow(/Content-Location.*https:\/\/files\.evil\.example.*not the FHIR server/);
    expect(seen.map((call) => new URL(call.url).origin)).toEqual(["https://ehr.example"]);
    // Nothing saved: a run that follows does not poll the other host either.
    expect(existsSync(join(dir, "export-state.json"))).toBe(false);
  });

  it("reads a relative Content-Location against the kick-off URL", async () => {
    server.use(
      kickOffAnswers("/fhir/export/1"),
      http.get(`${BASE}/export/1`, () => HttpResponse.json({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url: `${BASE}/files/p.ndjson` }], error: [] })),
      http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
      http.get(`${BASE}/files/p.ndjson`, () => new HttpResponse(PATIENT_LINE)),
    );
    const { done, dir } = runExport();
    await done;
    expect(readdirSync(join(dir, "files"))).toEqual(["Patient.00000.ndjson"]);
    expect(JSON.parse(readFileSync(join(dir, "export-state.json"), "utf8")).statusUrl).toBe(`${BASE}/export/1`);
  });
});

describe("fetchWithToken, the one function that attaches the token", () => {
  // Called directly, as a future caller that skipped the URL checks of export-manifest.ts would.
  const cases: [string, string][] = [
    ["another host", `${EVIL}/fhir/Patient/p1`],
    ["another port", "https://ehr.example:8443/fhir/Patient/p1"],
    ["plain http to the FHIR server's host", "http://ehr.example/fhir/Patient/p1"],
  ];
  for (const [what, url] of cases) {
    it(`refuses ${what}, before asking for the token or sending anything`, async () => {
      server.use(http.get(/.*/, () => new HttpResponse(PATIENT_LINE)));
      let asked = 0;
      const token = async () => {
        asked++;
        return TOKEN;
      };
      const error = await fetchWithToken(url, {}, token, "https://ehr.example").catch((e: Error) => e);
      expect(String(error)).toMatch(/a request with the access token is on .*, not the FHIR server \(https:\/\/ehr\.example\): the access token is not sent there/);
      expect(String(error)).not.toContain("/fhir/Patient/p1");
      expect(asked).toBe(0);
      expect(seen).toEqual([]);
    });
  }

  it("sends the token to the FHIR server's origin (a base URL with a path is reduced to its origin)", async () => {
    server.use(http.get(`${BASE}/Patient/p1`, () => new HttpResponse(PATIENT_LINE)));
    const response = await fetchWithToken(`${BASE}/Patient/p1`, {}, async () => TOKEN, BASE);
    expect(await response.text()).toBe(PATIENT_LINE);
    expect(seen).toEqual([{ method: "GET", url: `${BASE}/Patient/p1`, authorization: `Bearer ${TOKEN}` }]);
  });
});

describe("kick-off", () => {
  it("does not quote a kick-off answered with the data itself (200 and a Bundle of patients)", async () => {
    const bundle = { resourceType: "Bundle", type: "searchset", entry: [{ resource: { resourceType: "Patient", id: "p1", name: [{ family: "Doe", given: ["Jane"] }] } }] };
    server.use(http.get(`${BASE}/Patient/$export`, () => HttpResponse.json(bundle)));
    const error = await runExport().done.catch((e: Error) => e);
    expect((error as Error).message).toBe("export kick-off: HTTP 200");
  });

  it("quotes what an OperationOutcome says (the server's word on why)", async () => {
    const outcome = { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "not-supported", diagnostics: "_typeFilter is not supported" }] };
    server.use(http.get(`${BASE}/Patient/$export`, () => HttpResponse.json(outcome, { status: 400 })));
    await expect(runExport().done).rejects.toThrow(/^export kick-off: HTTP 400 _typeFilter is not supported$/);
  });

  it("leaves no export folder when refused (no export to resume, nothing stored), but one that was there, and keeps the state of an export the server started", async () => {
    const outcome = { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "forbidden", diagnostics: "not allowed" }] };
    server.use(http.get(`${BASE}/Patient/$export`, () => HttpResponse.json(outcome, { status: 403 })));
    const refused = runExport();
    await expect(refused.done).rejects.toThrow(/^export kick-off: HTTP 403 not allowed$/);
    expect(existsSync(refused.dir)).toBe(false);
    expect(readdirSync(join(refused.dir, ".."))).toEqual([]);

    const earlier = join(tempDir("patella-bulk-earlier-"), "export");
    mkdirSync(join(earlier, "files"), { recursive: true });
    await expect(runExport({ dir: earlier }).done).rejects.toThrow(/HTTP 403/);
    expect(readdirSync(earlier)).toEqual(["files"]);

    server.use(kickOffAnswers(`${BASE}/export/1`), http.get(`${BASE}/export/1`, () => new HttpResponse(null, { status: 404 })));
    const started = runExport();
    await expect(started.done).rejects.toThrow(/404/);
    expect(readdirSync(started.dir).sort()).toEqual(["export-state.json", "files"]);
  });

  it("says a refused kick-off is one by its type (no export started: the job leaves no trace), which no failure after the kick-off has", async () => {
    const outcome = { resourceType: "OperationOutcome", issue: [{ severity: "error", code: "forbidden", diagnostics: "not allowed" }] };
    server.use(http.get(`${BASE}/Patient/$export`, () => HttpResponse.json(outcome, { status: 403 })));
    const refused = await runExport().done.catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KickOffRefusedError);
    expect((refused as Error).message).toBe("export kick-off: HTTP 403 not allowed");

    // Started (a status URL saved), then failed: an export to resume, not a refusal.
    server.use(kickOffAnswers(`${BASE}/export/1`), http.get(`${BASE}/export/1`, () => new HttpResponse(null, { status: 404 })));
    const failedAfter = await runExport().done.catch((e: unknown) => e);
    expect((failedAfter as Error).message).toMatch(/404/);
    expect(failedAfter).not.toBeInstanceOf(KickOffRefusedError);
  });

  it("does not kick off again when a 202 has no Content-Location: each kick-off starts an export the client can never cancel", async () => {
    server.use(kickOffAnswers(null));
    await expect(runExport().done).rejects.toThrow(/202 without Content-Location/);
    expect(seen.filter((call) => call.url.includes("$export"))).toHaveLength(1);
  });
});

describe("manifest shapes", () => {
  const cases: [string, JsonBodyType, RegExp][] = [
    ["no output array", { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, error: [] }, /output is not an array/],
    ["an output entry without url", { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient" }], error: [] }, /output\[0\]\.url/],
    ["an output entry without type", { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ url: `${BASE}/files/p.ndjson` }], error: [] }, /output\[0\]\.type/],
    ["no transactionTime", { requiresAccessToken: true, output: [], error: [] }, /transactionTime/],
    ["a transactionTime that is a date, not an instant", { transactionTime: "2026-01-01", requiresAccessToken: true, output: [], error: [] }, /transactionTime/],
    ["a transactionTime in month 13", { transactionTime: "2026-13-01T00:00:00Z", requiresAccessToken: true, output: [], error: [] }, /transactionTime/],
    ["not an object", [1, 2], /not a JSON object/],
  ];
  for (const [what, manifest, message] of cases) {
    it(`fails on ${what}, naming it, without retrying and without keeping the manifest`, async () => {
      serverWithManifest(manifest);
      const { done, dir, events } = runExport();
      await expect(done).rejects.toThrow(message);
      expect(events.filter((e) => e.event === "retry")).toEqual([]);
      expect(JSON.parse(readFileSync(join(dir, "export-state.json"), "utf8")).manifest).toBeUndefined();
    });
  }

  it("fails on a status answer that is not JSON, saying so", async () => {
    server.use(kickOffAnswers(`${BASE}/export/1`), http.get(`${BASE}/export/1`, () => new HttpResponse("<html>Patient Jane Doe</html>", { status: 200 })));
    const error = await runExport().done.catch((e: Error) => e);
    expect(String(error)).toMatch(/export status: the HTTP 200 answer is not JSON \(\d+ characters\)/);
    expect(String(error)).not.toContain("Jane");
  });

  it("downloads a URL listed twice once", async () => {
    const url = `${BASE}/files/p.ndjson`;
    serverWithManifest({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url }, { type: "Patient", url }], error: [] });
    const { done, dir } = runExport();
    await done;
    expect(readdirSync(join(dir, "files"))).toHaveLength(1);
    expect(seen.filter((call) => call.url === url)).toHaveLength(1);
  });

  const bundle = (...entry: unknown[]) => JSON.stringify({ resourceType: "Bundle", entry });
  const del = (url: string, method = "DELETE") => ({ request: { method, url } });
  const deletedEvent = (events: { event: string; fields: Record<string, unknown> }[]) => events.find((e) => e.event === "export lists deleted resources, not in the output")?.fields;

  it("downloads the deleted-resource files apart from the data, reads only their DELETE references, and counts them by type", async () => {
    // The IG: transaction Bundles, each entry with request.method DELETE and request.url Type/id.
    // Nothing else of a Bundle matters (no id, meta or type is needed), and a line or an entry not
    // of that form is counted as unreadable, not an error: it cannot change the data.
    serverWithManifest(
      {
        transactionTime: "2026-01-01T00:00:00Z",
        requiresAccessToken: true,
        output: [{ type: "Patient", url: `${BASE}/files/p.ndjson` }],
        deleted: [{ type: "Bundle", url: `${BASE}/deleted/d1.ndjson` }, { url: `${BASE}/deleted/d2.ndjson` }],
        error: [],
      },
      [
        http.get(`${BASE}/files/p.ndjson`, () => new HttpResponse(PATIENT_LINE)),
        http.get(`${BASE}/deleted/d1.ndjson`, () =>
          new HttpResponse(`${bundle(del("Patient/123"), del("Observation/o-1"))}\n${bundle(del("Condition/c.2"), { fullUrl: "x" })}\n{broken\n`),
        ),
        http.get(`${BASE}/deleted/d2.ndjson`, () => new HttpResponse(`${bundle(del("Patient/9", "PUT"), del("Patient/abc"))}\n`)),
      ],
    );
    const { done, dir, events } = runExport();
    const { filesDir } = await done;
    expect(deletedEvent(events)).toEqual({
      files: 2,
      resources: 4,
      byType: { Patient: 2, Observation: 1, Condition: 1 },
      unreadable: 3,
      unreadableByReason: { "line not a Bundle with entries": 1, "entry not a DELETE request": 2 },
      folder: join(dir, "deleted"),
    });
    expect(readdirSync(filesDir)).toEqual(["Patient.00000.ndjson"]);
    expect(readdirSync(join(dir, "deleted")).sort()).toEqual(["Bundle.00000.ndjson", "Bundle.00001.ndjson"]);
    for (const call of seen.filter((c) => c.url.includes("/deleted/"))) expect(call.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("reads a deleted entry's absolute request.url on the FHIR server's base as its Type/id, and counts one elsewhere as unreadable, saying why", async () => {
    // The IG (v2, Bulk Data Kick-off Request): references in the export are relative Type/id or
    // absolute URLs "rooted in the base URL for the server from which the export was performed".
    const urls = [
      `${BASE}/Patient/7`, // the base as given
      "https://EHR.example:443/fhir/Condition/8", // the same base, spelled otherwise
      "https://other.example/fhir/Patient/9", // another host
      `${BASE}/sub/Patient/10`, // another base on the same host
      "http://ehr.example/fhir/Patient/11", // another scheme
      "urn:uuid:0b6b2f3e-6b57-4f1e-9d0a-5f8c7f2b1a10",
      "Patient/12/_history/1",
      `${BASE}/Patient/13?_format=json`,
    ];
    serverWithManifest(
      { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [], deleted: [{ type: "Bundle", url: `${BASE}/deleted/d1.ndjson` }], error: [] },
      [http.get(`${BASE}/deleted/d1.ndjson`, () => new HttpResponse(`${bundle(...urls.map((url) => del(url)))}\n`))],
    );
    const { done, dir, events } = runExport();
    await done;
    expect(deletedEvent(events)).toEqual({
      files: 1,
      resources: 2,
      byType: { Patient: 1, Condition: 1 },
      unreadable: 6,
      unreadableByReason: { "request.url on another server than the FHIR server's base": 3, "request.url not Type/id, relative or absolute": 3 },
      folder: join(dir, "deleted"),
    });
  });

  it("refuses a deleted-resource file on another host while requiresAccessToken is true, as an output file", async () => {
    serverWithManifest({
      transactionTime: "2026-01-01T00:00:00Z",
      requiresAccessToken: true,
      output: [],
      deleted: [{ type: "Bundle", url: `${EVIL}/deleted/d1.ndjson` }],
      error: [],
    });
    await expect(runExport().done).rejects.toThrow(/deleted\[0\]\.url, which needs the access token, is on https:\/\/files\.evil\.example/);
    expect(seen.some((call) => call.url.startsWith(EVIL))).toBe(false);
  });

  it("downloads the error files (OperationOutcome NDJSON) apart from the data, and says how many issues they hold", async () => {
    const outcome = (text: string) => JSON.stringify({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "processing", details: { text } }] });
    serverWithManifest(
      {
        transactionTime: "2026-01-01T00:00:00Z",
        requiresAccessToken: true,
        output: [{ type: "Patient", url: `${BASE}/files/p.ndjson` }],
        error: [{ type: "OperationOutcome", url: `${BASE}/errors/e.ndjson` }],
      },
      [
        http.get(`${BASE}/files/p.ndjson`, () => new HttpResponse(PATIENT_LINE)),
        http.get(`${BASE}/errors/e.ndjson`, () => new HttpResponse(`${outcome("Observation/1 failed")}\n${outcome("Condition/2 failed")}\n`)),
      ],
    );
    const { done, dir, events } = runExport();
    const { filesDir, errorOutcomes } = await done;
    expect(errorOutcomes).toBe(2);
    expect(readdirSync(filesDir)).toEqual(["Patient.00000.ndjson"]);
    expect(readdirSync(join(dir, "errors"))).toEqual(["OperationOutcome.00000.ndjson"]);
    expect(events.find((e) => e.event === "export reported errors")?.fields).toEqual({ files: 1, outcomes: 2, folder: join(dir, "errors") });
  });
});

describe("polling", () => {
  it("stops polling a status URL that answers 202 forever, with a message that says how to go on", async () => {
    server.use(kickOffAnswers(`${BASE}/export/1`), http.get(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202, headers: { "retry-after": "1" } })));
    const { done, dir } = runExport({ pollLimitMs: 2_500 });
    // Polls at 0, 1 and 2 s; the next, at 3 s, would pass the limit.
    await expect(done).rejects.toThrow(/not ready after 2 s of polling.*run the same command again/);
    // The status URL is kept: the next run polls the same export.
    expect(JSON.parse(readFileSync(join(dir, "export-state.json"), "utf8")).statusUrl).toBe(`${BASE}/export/1`);
  }, 10_000);

  it("waits at least a second between polls when Retry-After says 0", async () => {
    server.use(kickOffAnswers(`${BASE}/export/1`), http.get(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202, headers: { "retry-after": "0" } })));
    await expect(runExport({ pollLimitMs: 2_500 }).done).rejects.toThrow(/not ready/);
    // Polls at 0, 1 and 2 s (and perhaps one more as the limit falls), not thousands.
    expect(seen.filter((call) => call.url === `${BASE}/export/1`).length).toBeLessThanOrEqual(4);
  }, 10_000);

  it("logs at most 100 characters of X-Progress (the IG's bound; the text is the server's)", async () => {
    let polls = 0;
    server.use(
      kickOffAnswers(`${BASE}/export/1`),
      http.get(`${BASE}/export/1`, () =>
        ++polls === 1
          ? new HttpResponse(null, { status: 202, headers: { "retry-after": "0", "x-progress": "x".repeat(5000) } })
          : HttpResponse.json({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [], error: [] }),
      ),
      http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
    );
    const { done, events } = runExport();
    await done;
    expect(events.find((e) => e.event === "export in progress")?.fields.progress).toBe("x".repeat(100));
  }, 10_000);

  const doneManifest = { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [], error: [] };
  /** A status URL giving `answers` in turn (then the manifest), and when each poll came. */
  function statusAnswers(answers: (() => Response)[]) {
    const polledAt: number[] = [];
    server.use(
      kickOffAnswers(`${BASE}/export/1`),
      http.get(`${BASE}/export/1`, () => {
        polledAt.push(Date.now());
        return answers[polledAt.length - 1]?.() ?? HttpResponse.json(doneManifest);
      }),
      http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
    );
    return polledAt;
  }
  const answer = (status: number, headers: Record<string, string> = {}) => () => new HttpResponse(null, { status, headers });

  it("waits out a busy status URL (429, and 503 with Retry-After) more times than retry.attempts, each time Retry-After, and finishes", async () => {
    const polledAt = statusAnswers([
      answer(429, { "retry-after": "1" }),
      answer(429, { "retry-after": "1" }),
      answer(503, { "retry-after": "1" }),
      answer(503, { "retry-after": "1" }),
      answer(202, { "retry-after": "1", "x-progress": "half done" }),
    ]);
    // FAST_RETRY allows 3 tries: four busy answers in a row are more than it would let fail.
    const { done, events } = runExport();
    await done;
    expect(polledAt).toHaveLength(6);
    for (let i = 1; i < polledAt.length; i++) expect(polledAt[i]! - polledAt[i - 1]!).toBeGreaterThanOrEqual(950);
    expect(events.filter((e) => e.event === "export status busy").map((e) => e.fields)).toEqual([
      { status: 429, retryAfterMs: 1000 },
      { status: 429, retryAfterMs: 1000 },
      { status: 503, retryAfterMs: 1000 },
      { status: 503, retryAfterMs: 1000 },
    ]);
    expect(events.find((e) => e.event === "export in progress")?.fields).toEqual({ progress: "half done", retryAfterMs: 1000 });
    expect(events.filter((e) => e.event === "retry")).toEqual([]);
  }, 15_000);

  it("bounds a status URL that is busy (429) forever by the poll's time limit, not by a count of answers", async () => {
    const polledAt = statusAnswers(Array.from({ length: 100 }, () => answer(429, { "retry-after": "1" })));
    const { done, dir } = runExport({ pollLimitMs: 2_500 });
    // Polls at 0, 1 and 2 s; the next, at 3 s, would pass the limit.
    await expect(done).rejects.toThrow(/not ready after 2 s of polling \(3 of the answers were "busy", 429 or 503\): run the same command again/);
    expect(polledAt).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(dir, "export-state.json"), "utf8")).statusUrl).toBe(`${BASE}/export/1`);
  }, 10_000);

  it("ends the poll after retry.attempts real errors in a row (5xx without Retry-After, 503 included)", async () => {
    const polledAt = statusAnswers([answer(500), answer(503), answer(502), answer(500)]);
    const { done, retries } = runExport();
    await expect(done).rejects.toThrow(/^export status: HTTP 502$/);
    expect(polledAt).toHaveLength(3);
    expect(retries).toEqual(["export status: HTTP 500", "export status: HTTP 503"]);
  });

  it("counts real errors in a row only: an answer of a healthy server between them starts the count again", async () => {
    const polledAt = statusAnswers([answer(500), answer(500), answer(202, { "retry-after": "0" }), answer(500), answer(500)]);
    await runExport().done;
    expect(polledAt).toHaveLength(6);
  }, 10_000);

  it("tells how to start over when the server no longer has the export (404 on a resumed run)", async () => {
    server.use(kickOffAnswers(`${BASE}/export/1`), http.get(`${BASE}/export/1`, () => new HttpResponse(null, { status: 404 })));
    const { done, dir } = runExport();
    await expect(done).rejects.toThrow(new RegExp(`HTTP 404.*no longer has this export.*delete ${join(dir, "export-state.json").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });
});

describe("the saved state", () => {
  it("names the state file, and says to delete it, when it is cut short", async () => {
    const dir = join(tempDir("patella-hostile-state-"), "export");
    mkdirSync(dir);
    const statePath = join(dir, "export-state.json");
    writeFileSync(statePath, '{\n  "kickOffUrl": "https://ehr.example/fhir/Patient/$export?_type=Pat');
    await expect(runExport({ dir }).done).rejects.toThrow(`${statePath} is not an export's state (cut short?): delete it to start a new export`);
    expect(seen).toEqual([]);
  });
});

describe("the saved state and pre-signed URLs", () => {
  const SIGNED = "X-Amz-Credential=AKIDEXAMPLE%2F20260101&X-Amz-Signature=";
  /**
   * An export whose files are pre-signed URLs on an object store (requiresAccessToken false),
   * signed anew for each status answer: a file opens only with the latest signature, as
   * expired ones would not. `files` lists the files of each status answer; each file holds one
   * Patient whose id is the file's name (lineOf), so a test sees which local file got which.
   */
  function presignedExport(files: () => string[], failing: Set<string>, transactionTime = () => "2026-01-01T00:00:00Z") {
    let signature = 0;
    server.use(
      kickOffAnswers(`${BASE}/export/1`),
      http.get(`${BASE}/export/1`, () => {
        signature++;
        return HttpResponse.json({
          transactionTime: transactionTime(),
          requiresAccessToken: false,
          output: files().map((name) => ({ type: "Patient", url: `${EVIL}/files/${name}?${SIGNED}sig${signature}` })),
          error: [],
        });
      }),
      http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
      http.get(`${EVIL}/files/:name`, ({ request, params }) => {
        if (new URL(request.url).searchParams.get("X-Amz-Signature") !== `sig${signature}`) return new HttpResponse("expired", { status: 403 });
        return failing.has(params.name as string) ? new HttpResponse(null, { status: 500 }) : new HttpResponse(lineOf(params.name as string));
      }),
    );
  }
  const stateOf = (dir: string) => readFileSync(join(dir, "export-state.json"), "utf8");
  const lineOf = (name: string) => `${JSON.stringify({ resourceType: "Patient", id: name.replace(".ndjson", "") })}\n`;

  it("keeps no query string of a pre-signed URL in export-state.json, readable by its owner only (0600)", async () => {
    presignedExport(() => ["p0.ndjson", "p1.ndjson"], new Set(["p1.ndjson"]));
    const { done, dir } = runExport();
    await expect(done).rejects.toThrow(/download Patient\.00001\.ndjson: HTTP 500/);
    const text = stateOf(dir);
    expect(text).not.toMatch(/X-Amz|AKIDEXAMPLE|sig1/);
    expect(JSON.parse(text).manifest.output).toEqual([
      { type: "Patient", url: `${EVIL}/files/p0.ndjson` },
      { type: "Patient", url: `${EVIL}/files/p1.ndjson` },
    ]);
    expect(statSync(join(dir, "export-state.json")).mode & 0o777).toBe(0o600);
  });

  it("resumes with the manifest asked for again (URLs signed anew), not with the saved URLs, and downloads only the missing file", async () => {
    const failing = new Set(["p1.ndjson"]);
    presignedExport(() => ["p0.ndjson", "p1.ndjson"], failing);
    const first = runExport();
    await expect(first.done).rejects.toThrow(/HTTP 500/);
    failing.clear();
    seen.length = 0;
    const second = runExport({ dir: first.dir });
    await second.done;
    expect(readFileSync(join(first.dir, "files", "Patient.00001.ndjson"), "utf8")).toBe(lineOf("p1.ndjson"));
    expect(seen.map((call) => `${call.method} ${call.url.replace(/\?.*/, "?..")}${call.url.includes("sig2") ? " (sig2)" : ""}`)).toEqual([
      `GET ${BASE}/export/1`,
      `GET ${EVIL}/files/p1.ndjson?.. (sig2)`,
      `DELETE ${BASE}/export/1`,
    ]);
    expect(second.events.map((e) => e.event)).not.toContain("export started");
    expect(second.events.find((e) => e.event === "export resumed")?.fields).toEqual({ manifestAskedAgain: true });
    expect(stateOf(first.dir)).not.toMatch(/X-Amz|sig\d/);
  });

  it("refuses to resume when the manifest asked for again lists other files, saying what to do", async () => {
    let files = ["p0.ndjson", "p1.ndjson"];
    presignedExport(() => files, new Set(["p1.ndjson"]));
    const first = runExport();
    await expect(first.done).rejects.toThrow(/HTTP 500/);
    files = ["p0.ndjson", "p2.ndjson", "p1.ndjson"];
    await expect(runExport({ dir: first.dir }).done).rejects.toThrow(
      `export status: the server's manifest for this export lists other files than when its download began (${join(first.dir, "export-state.json")}): delete ${first.dir} to start a new export`,
    );
  });

  it("resumes when the manifest asked for again lists the same files in another order, each file under the name its first listing gave it", async () => {
    let files = ["p0.ndjson", "p1.ndjson", "p2.ndjson"];
    const failing = new Set(["p1.ndjson"]);
    presignedExport(() => files, failing);
    const first = runExport();
    await expect(first.done).rejects.toThrow(/HTTP 500/);
    const localNames = ["Patient.00000.ndjson", "Patient.00001.ndjson", "Patient.00002.ndjson"];
    const missing = localNames.filter((name) => !existsSync(join(first.dir, "files", name)));
    // The server lists them in another order now (its order is not part of the export).
    files = ["p2.ndjson", "p0.ndjson", "p1.ndjson"];
    failing.clear();
    seen.length = 0;
    await runExport({ dir: first.dir }).done;
    // Local names are by place in the first listing: Patient.00001 holds p1 whatever the order now.
    localNames.forEach((name, i) => expect(readFileSync(join(first.dir, "files", name), "utf8")).toBe(lineOf(`p${i}.ndjson`)));
    const downloaded = seen.filter((call) => call.url.startsWith(`${EVIL}/files/`)).map((call) => new URL(call.url).pathname.replace("/files/", ""));
    expect(downloaded.sort()).toEqual(missing.map((name) => `p${localNames.indexOf(name)}.ndjson`));
  });

  it("refuses to resume when files told apart only by their query (which the state does not keep) are listed in other places", async () => {
    // Files at one path, told apart by a query parameter; the server lists them differently on resume.
    let parts = ["0", "1", "2"];
    let firstRun = true;
    server.use(
      kickOffAnswers(`${BASE}/export/1`),
      http.get(`${BASE}/export/1`, () =>
        HttpResponse.json({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: false, error: [], output: [
          { type: "Patient", url: `${EVIL}/other/x.ndjson` },
          ...parts.map((part) => ({ type: "Patient", url: `${EVIL}/part?n=${part}` })),
        ] }),
      ),
      http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
      http.get(`${EVIL}/other/x.ndjson`, () => new HttpResponse(lineOf("x.ndjson"))),
      http.get(`${EVIL}/part`, ({ request }) => {
        const part = new URL(request.url).searchParams.get("n")!;
        return firstRun && part === "1" ? new HttpResponse(null, { status: 500 }) : new HttpResponse(lineOf(`part${part}.ndjson`));
      }),
    );
    const first = runExport();
    await expect(first.done).rejects.toThrow(/HTTP 500/);
    firstRun = false;
    parts = ["2", "0", "1"];
    seen.length = 0;
    await expect(runExport({ dir: first.dir }).done).rejects.toThrow(/files still to download differ from others only in their query strings, .* cannot say which is which: delete .* to start a new export/);
    // Nothing was asked of the server: no guess was downloaded.
    expect(seen).toEqual([]);
  });

  it("refuses to resume when the manifest asked for again lists as many files but one is another", async () => {
    let files = ["p0.ndjson", "p1.ndjson"];
    presignedExport(() => files, new Set(["p1.ndjson"]));
    const first = runExport();
    await expect(first.done).rejects.toThrow(/HTTP 500/);
    files = ["p1.ndjson", "p3.ndjson"];
    await expect(runExport({ dir: first.dir }).done).rejects.toThrow(/lists other files than when its download began/);
  });

  it("refuses to resume when the manifest asked for again lists the same files with another transactionTime (another export's data)", async () => {
    let transactionTime = "2026-01-01T00:00:00Z";
    presignedExport(() => ["p0.ndjson", "p1.ndjson"], new Set(["p1.ndjson"]), () => transactionTime);
    const first = runExport();
    await expect(first.done).rejects.toThrow(/HTTP 500/);
    transactionTime = "2026-01-02T00:00:00Z";
    await expect(runExport({ dir: first.dir }).done).rejects.toThrow(/lists other files than when its download began/);
  });

  it("says to start over when a resumed run lacks files and the server no longer has the export (the saved URLs are not tried)", async () => {
    presignedExport(() => ["p0.ndjson", "p1.ndjson"], new Set(["p1.ndjson"]));
    const first = runExport();
    await expect(first.done).rejects.toThrow(/HTTP 500/);
    server.use(http.get(`${BASE}/export/1`, () => new HttpResponse(null, { status: 410 })));
    seen.length = 0;
    await expect(runExport({ dir: first.dir }).done).rejects.toThrow(/HTTP 410; the server no longer has this export \(expired or cancelled\): delete .*export-state\.json to start a new one/);
    expect(seen.map((call) => call.url)).toEqual([`${BASE}/export/1`]);
  });

  it("asks the server nothing when an export done before is run again", async () => {
    presignedExport(() => ["p0.ndjson"], new Set());
    const first = runExport();
    await first.done;
    seen.length = 0;
    await runExport({ dir: first.dir }).done;
    expect(seen).toEqual([]);
  });

  it("rewrites at once, without query strings and owner-only, a state an earlier version saved with the URLs whole", async () => {
    const dir = join(tempDir("patella-hostile-oldstate-"), "export");
    mkdirSync(join(dir, "files"), { recursive: true });
    writeFileSync(join(dir, "files", "Patient.00000.ndjson"), PATIENT_LINE);
    const manifest = { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: false, output: [{ type: "Patient", url: `${EVIL}/files/p0.ndjson?${SIGNED}old` }], error: [] };
    const kickOff = kickOffUrl({ fhirBaseUrl: BASE, types: ["Patient"] });
    writeFileSync(join(dir, "export-state.json"), JSON.stringify({ kickOffUrl: kickOff, statusUrl: `${BASE}/export/1`, manifest }), { mode: 0o644 });
    server.use(http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })));
    await runExport({ dir }).done;
    expect(stateOf(dir)).not.toMatch(/X-Amz|old/);
    expect(statSync(join(dir, "export-state.json")).mode & 0o777).toBe(0o600);
  });
});

describe("downloads", () => {
  it("stops taking files after one fails for good, and returns once the files under way are settled", async () => {
    const urls = Array.from({ length: 6 }, (_, i) => `${BASE}/files/f${i}.ndjson`);
    serverWithManifest({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: urls.map((url) => ({ type: "Patient", url })), error: [] }, [
      http.get(urls[0]!, () => new HttpResponse("gone", { status: 403 })),
      http.get(/\/files\//, async () => {
        await delay(100);
        return new HttpResponse(PATIENT_LINE);
      }),
    ]);
    await expect(runExport().done).rejects.toThrow(/HTTP 403/);
    await delay(400);
    // Two lanes: f0 failed at once, f1 was under way; nothing after it was asked for.
    expect(seen.filter((call) => call.url.includes("/files/")).map((call) => call.url)).toEqual(urls.slice(0, 2));
  });
});

describe("the private key", () => {
  it("is not quoted in the error when the key file is not JSON", async () => {
    const secret = "Zq8VxN3kLm0PwR7tYb2CjH5sDf9GaE4u";
    const file = join(tempDir("patella-badkey-"), "private.jwk.json");
    writeFileSync(file, `{"kty":"EC","crv":"P-384","d":${secret},"x":"a","y":"b"}`, { mode: 0o600 });
    const error = await backendServicesToken(BASE, { clientId: "c", keyFile: file, scope: "system/Patient.rs" }).catch((e: Error) => e);
    expect(String(error)).toContain(file);
    expect(String(error)).toMatch(/not JSON/);
    for (let i = 0; i + 4 <= secret.length; i++) expect(String(error)).not.toContain(secret.slice(i, i + 4));
  });
});

describe("the access token", () => {
  let keyFile: string;
  let issued = 0;
  beforeAll(async () => {
    const pair = await generateKeyPair("ES384", { extractable: true });
    keyFile = join(tempDir("patella-hostile-key-"), "private.jwk.json");
    writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(pair.privateKey)), alg: "ES384" }), { mode: 0o600 });
  });
  afterEach(() => {
    issued = 0;
  });
  const smartConfiguration = http.get(`${BASE}/.well-known/smart-configuration`, () => HttpResponse.json({ token_endpoint: `${BASE}/token` }));
  /** A token endpoint that issues tok-1, tok-2, ..., each for `expiresIn` seconds, granting `scope` when given. */
  const tokenEndpoint = (expiresIn: number, scope?: string) => [
    smartConfiguration,
    http.post(`${BASE}/token`, () => HttpResponse.json({ access_token: `tok-${++issued}`, expires_in: expiresIn, ...(scope === undefined ? {} : { scope }) })),
  ];
  const exportOptions = () => ({ fhirBaseUrl: BASE, clientId: "c", keyFile, jobObservationsOnly: false, parallel: 1, outDir: tempDir("patella-hostile-token-"), onEvent: () => undefined, retry: FAST_RETRY });
  const oneFileManifest = { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [{ type: "Patient", url: `${BASE}/files/p.ndjson` }], error: [] };

  it("asks for a new token when the file server refuses the one reused (401), and goes on", async () => {
    server.use(...tokenEndpoint(3600));
    // The first token is revoked by the time the files are fetched: only the second opens them.
    serverWithManifest(oneFileManifest, [
      http.get(`${BASE}/files/p.ndjson`, ({ request }) => (request.headers.get("authorization") === "Bearer tok-2" ? new HttpResponse(PATIENT_LINE) : new HttpResponse(null, { status: 401 }))),
    ]);
    const { filesDir } = await exportFromFhir(exportOptions());
    expect(readFileSync(join(filesDir, "Patient.00000.ndjson"), "utf8")).toBe(PATIENT_LINE);
    expect(issued).toBe(2);
  });

  it("reuses a token of 30 s for more than one request (half its lifetime), not one token a request", async () => {
    server.use(...tokenEndpoint(30));
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY);
    expect([await token(), await token(), await token()]).toEqual(["tok-1", "tok-1", "tok-1"]);
    expect(issued).toBe(1);
  });

  it("asks once for the token that lanes need at the same time", async () => {
    server.use(smartConfiguration, http.post(`${BASE}/token`, async () => {
      await delay(50);
      return HttpResponse.json({ access_token: `tok-${++issued}`, expires_in: 300 });
    }));
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY);
    expect(await Promise.all([token(), token(), token(true)])).toEqual(["tok-1", "tok-1", "tok-1"]);
    expect(issued).toBe(1);
  });

  it("signs a new assertion (new jti) for each try of a token request", async () => {
    const jtis: string[] = [];
    server.use(smartConfiguration, http.post(`${BASE}/token`, async ({ request }) => {
      const assertion = new URLSearchParams(await request.text()).get("client_assertion")!;
      jtis.push(JSON.parse(Buffer.from(assertion.split(".")[1]!, "base64url").toString()).jti);
      return jtis.length === 1 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({ access_token: "tok", expires_in: 300 });
    }));
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY);
    expect(await token()).toBe("tok");
    expect(jtis).toHaveLength(2);
    expect(new Set(jtis).size).toBe(2);
  });

  it("stops before the kick-off when the server grants fewer scopes than asked: the export would leave those types out", async () => {
    server.use(...tokenEndpoint(300, "system/Patient.rs system/Observation.read"));
    serverWithManifest(oneFileManifest);
    await expect(exportFromFhir(exportOptions())).rejects.toThrow(/did not grant .*system\/Condition\.rs/);
    expect(seen.some((call) => call.url.includes("$export"))).toBe(false);
  });

  it("stops before the kick-off when a --post-group run is not granted the Group write, saying the Group could not be PUT, not that resources would be left out", async () => {
    // Every read scope of the export, and no write.
    server.use(...tokenEndpoint(300, exportScope(false)));
    serverWithManifest(oneFileManifest);
    const error = await exportFromFhir({ ...exportOptions(), postGroup: true }).catch((e: Error) => e);
    expect(String(error)).toContain(
      "the token endpoint did not grant system/Group.cu (granted: " + exportScope(false) + "): " +
        "the client may not write Group resources, so --post-group could not PUT the Groups of the high-risk and imaging lists once the export and the scoring are done",
    );
    expect(String(error)).not.toContain("left out");
    expect(seen.some((call) => call.url.includes("$export"))).toBe(false);
  });

  it("takes a v1 wildcard grant (system/*.read) for the v2 read scopes asked for", async () => {
    server.use(...tokenEndpoint(300, "system/*.read"));
    serverWithManifest(oneFileManifest);
    const { filesDir } = await exportFromFhir(exportOptions());
    expect(readdirSync(filesDir)).toEqual(["Patient.00000.ndjson"]);
  });

  it("refuses a plain-http FHIR server on another machine before reading the key or sending anything", async () => {
    await expect(backendServicesToken("http://ehr.example/fhir", { clientId: "c", keyFile: "/no/such/key.json", scope: "system/Patient.rs" }, FAST_RETRY)).rejects.toThrow(
      "http://ehr.example/fhir is not an https URL (plain http only on loopback): the token would be sent in the clear",
    );
    expect(seen).toEqual([]);
  });

  it("refuses a plain-http token endpoint named by an https FHIR server, sending it nothing", async () => {
    server.use(http.get(`${BASE}/.well-known/smart-configuration`, () => HttpResponse.json({ token_endpoint: "http://ehr.example/token" })));
    await expect(backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY)).rejects.toThrow(/token_endpoint that is not https/);
    expect(seen.map((call) => call.method)).toEqual(["GET"]);
  });

  it("counts a token's lifetime from when it was asked for: a slow answer does not stretch its reuse past the server's expiry", async () => {
    let clock = Date.parse("2026-01-01T00:00:00Z");
    /** When the server lets each token expire: issued when the request came, for expires_in. */
    const expiresAt = new Map<string, number>();
    server.use(
      smartConfiguration,
      http.post(`${BASE}/token`, () => {
        const token = `tok-${++issued}`;
        expiresAt.set(token, clock + 30_000);
        clock += 20_000; // the answer takes 20 s to arrive
        return HttpResponse.json({ access_token: token, token_type: "bearer", expires_in: 30 });
      }),
    );
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY, () => clock);
    const handedOut: { token: string; at: number }[] = [];
    // Asked for again 5, 11, 31 and 40 s after the first answer (a request sends it at once).
    for (const step of [0, 5_000, 6_000, 20_000, 9_000]) {
      clock += step;
      const value = await token();
      handedOut.push({ token: value, at: clock });
    }
    expect(issued).toBeGreaterThan(1);
    for (const { token: value, at } of handedOut) expect(at, `${value} handed out at ${at}`).toBeLessThan(expiresAt.get(value)!);
  });

  it("reuses a long-lived token until a minute before it expires, then asks for a new one", async () => {
    let clock = 0;
    server.use(smartConfiguration, http.post(`${BASE}/token`, () => HttpResponse.json({ access_token: `tok-${++issued}`, expires_in: 3600 })));
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY, () => clock);
    expect(await token()).toBe("tok-1");
    clock = 3_539_000;
    expect(await token()).toBe("tok-1");
    clock = 3_541_000;
    expect(await token()).toBe("tok-2");
  });

  it("takes a token without expires_in (which SMART Backend Services requires) as one of 300 s, the longest the profile lets a server issue: renewed after 240 s", async () => {
    let clock = 0;
    server.use(smartConfiguration, http.post(`${BASE}/token`, () => HttpResponse.json({ access_token: `tok-${++issued}`, token_type: "bearer" })));
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY, () => clock);
    expect(await token()).toBe("tok-1");
    clock = 239_000;
    expect(await token()).toBe("tok-1");
    clock = 241_000;
    expect(await token()).toBe("tok-2");
  });

  it("refuses an access_token that is not a bearer token (RFC 6750), never quoting it, before sending it anywhere", async () => {
    server.use(smartConfiguration, http.post(`${BASE}/token`, () => HttpResponse.json({ access_token: "SECRET-TOKEN\nVALUE", expires_in: 300 })));
    serverWithManifest(oneFileManifest);
    const events: string[] = [];
    const error = await exportFromFhir({ ...exportOptions(), onEvent: (event, fields) => events.push(`${event} ${JSON.stringify(fields ?? {})}`) }).catch((e: Error) => e);
    expect(String(error)).toBe("Error: the token endpoint returned an access_token that is not a bearer token (RFC 6750 syntax)");
    expect(events.join("\n")).not.toMatch(/SECRET|VALUE/);
    expect(seen.filter((call) => call.authorization !== null)).toEqual([]);
  });

  it("refuses a token whose token_type is not bearer (it would be sent as one)", async () => {
    server.use(smartConfiguration, http.post(`${BASE}/token`, () => HttpResponse.json({ access_token: "tok", token_type: "DPoP", expires_in: 300 })));
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY);
    await expect(token()).rejects.toThrow(/^the token endpoint returned a token_type other than bearer$/);
  });

  it("puts no token in the events of an export with retries, busy polls and a renewed token", async () => {
    server.use(...tokenEndpoint(3600));
    let polls = 0;
    let fileTries = 0;
    server.use(
      kickOffAnswers(`${BASE}/export/1`),
      http.get(`${BASE}/export/1`, () =>
        ++polls === 1 ? new HttpResponse(null, { status: 429, headers: { "retry-after": "0" } }) : HttpResponse.json(oneFileManifest),
      ),
      http.delete(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202 })),
      http.get(`${BASE}/files/p.ndjson`, ({ request }) => {
        if (++fileTries === 1) return new HttpResponse(null, { status: 500 });
        return request.headers.get("authorization") === "Bearer tok-2" ? new HttpResponse(PATIENT_LINE) : new HttpResponse(null, { status: 401 });
      }),
    );
    const events: string[] = [];
    await exportFromFhir({ ...exportOptions(), onEvent: (event, fields) => events.push(`${event} ${JSON.stringify(fields ?? {})}`) });
    expect(issued).toBe(2);
    expect(events.some((e) => e.startsWith("retry "))).toBe(true);
    expect(events.some((e) => e.startsWith("export status busy "))).toBe(true);
    expect(events.join("\n")).not.toMatch(/tok-\d|Bearer/);
  }, 10_000);

  it("passes its poll limit on to the export (--poll-hours)", async () => {
    server.use(...tokenEndpoint(3600), kickOffAnswers(`${BASE}/export/1`), http.get(`${BASE}/export/1`, () => new HttpResponse(null, { status: 202, headers: { "retry-after": "1" } })));
    await expect(exportFromFhir({ ...exportOptions(), pollLimitMs: 1_500 })).rejects.toThrow(/not ready after 1 s of polling/);
  }, 10_000);

  it("does not quote a token endpoint's answer that is not JSON (it may hold the token)", async () => {
    server.use(smartConfiguration, http.post(`${BASE}/token`, () => new HttpResponse("access_token=SECRET-TOKEN-VALUE&expires_in=300")));
    const token = await backendServicesToken(BASE, { clientId: "c", keyFile, scope: "system/Patient.rs" }, FAST_RETRY);
    const error = await token().catch((e: Error) => e);
    expect(String(error)).toMatch(/token request: the HTTP 200 answer is not JSON \(\d+ characters\)/);
    expect(String(error)).not.toMatch(/SECRET|TOKEN-V/);
  });
});
