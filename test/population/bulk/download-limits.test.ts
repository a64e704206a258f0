/**
 * The limits on a file's download (a real node:http server on 127.0.0.1, port 0): bytes per file
 * and per export, past which the run stops with the cap in its message and no `.partial` left on
 * disk; and silence, past which a try is given up (a fault, retried as a dropped connection is).
 * The caps here are kilobytes and the silences 200 ms, for the same code as the defaults'
 * gigabytes and minutes.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { BulkExportRequest } from "../../../population/bulk/bulk-export.ts";
import { exportFromFhir } from "../../../population/bulk/export-input.ts";
import { tempDir } from "../fixtures.ts";
import { populationCli } from "../job/job-fixtures.ts";
import { FAST_RETRY, localExportServers, runPatientExport } from "./export-harness.ts";

const KIB = 1024;
const { start: exportServer } = localExportServers();

/** `bytes` bytes of body: the export does not read its output files, so any bytes do. */
const body = (bytes: number) => Buffer.alloc(bytes, "x");
const serveBytes = (bytes: number) => (response: ServerResponse) => response.writeHead(200, { "content-type": "application/fhir+ndjson" }).end(body(bytes));

/** A file without end, sent as fast as the client takes it; `sent.closed` once the client hangs up. */
function endless(response: ServerResponse, sent: { closed: boolean }) {
  response.writeHead(200, { "content-type": "application/fhir+ndjson" });
  const chunk = body(16 * KIB);
  response.on("close", () => (sent.closed = true));
  const pump = () => {
    while (!sent.closed && response.write(chunk));
    if (!sent.closed) response.once("drain", pump);
  };
  pump();
}

const until = async (done: () => boolean) => {
  const from = Date.now();
  while (!done() && Date.now() - from < 2_000) await new Promise((resolve) => setTimeout(resolve, 20));
  return done();
};

/** What is in the export's files/ folder: names and sizes. */
const filesIn = (dir: string) => readdirSync(join(dir, "files")).sort().map((name) => `${name} ${statSync(join(dir, "files", name)).size}`);

const fileCapMessage = (name: string, place: string, cap: string) =>
  `download ${name} (the manifest's ${place}): the file is larger than ${cap}, the cap for one file (--max-file-gib): its download is stopped and its .partial deleted; ` +
  "if the server's files are really this large, raise the cap and run the same command again";
const exportCapMessage = (name: string, place: string, cap: string) =>
  `download ${name} (the manifest's ${place}): the export's files are larger than ${cap} in all, the cap for one export (--max-export-gib): this download is stopped and its .partial deleted ` +
  "(the files already downloaded are kept); if the export is really this large, raise the cap and run the same command again";

const caps = (fileKib: number, exportKib: number): Partial<BulkExportRequest> => ({ maxFileBytes: fileKib * KIB, maxExportBytes: exportKib * KIB, parallel: 1 });

describe("the cap on one file's bytes", () => {
  it("stops a file without end at the cap, without retrying it, naming the file by its local name and place (not its URL), and leaves no .partial", async () => {
    const sent = { closed: false };
    const { base, requests } = await exportServer(["a.ndjson?sig=SECRET"], (_name, _n, response) => endless(response, sent));
    const { done, dir, retries } = runPatientExport({ fhirBaseUrl: base, ...caps(64, 1024) });
    const error = (await done.catch((e: Error) => e)) as Error;
    expect(error.message).toBe(fileCapMessage("Patient.00000.ndjson", "output[0]", "64 KiB"));
    for (const secret of ["SECRET", "sig=", "127.0.0.1", "/files/"]) expect(error.message).not.toContain(secret);
    expect(filesIn(dir)).toEqual([]);
    expect(requests.get("a.ndjson?sig=SECRET")).toHaveLength(1);
    expect(retries).toEqual([]);
    // The client hung up: the server is not left sending.
    expect(await until(() => sent.closed)).toBe(true);
  });

  it("takes a file of exactly the cap, and stops one a byte longer", async () => {
    const { base } = await exportServer(["a.ndjson", "b.ndjson"], (name, _n, response) => serveBytes(name === "a.ndjson" ? 64 * KIB : 64 * KIB + 1)(response));
    const { done, dir } = runPatientExport({ fhirBaseUrl: base, ...caps(64, 1024) });
    await expect(done).rejects.toThrow(fileCapMessage("Patient.00001.ndjson", "output[1]", "64 KiB"));
    expect(filesIn(dir)).toEqual([`Patient.00000.ndjson ${64 * KIB}`]);
  });
});

describe("the cap on the export's bytes", () => {
  it("stops the file that takes the export past it, keeps the files before it, counts them again on a resumed run, and resumes with a higher cap", async () => {
    // Three files of 40 KiB under an export cap of 100 KiB: the first two (80 KiB) fit, the third does not.
    const { base, requests } = await exportServer(["a.ndjson", "b.ndjson", "c.ndjson"], (_name, _n, response) => serveBytes(40 * KIB)(response));
    const first = runPatientExport({ fhirBaseUrl: base, ...caps(64, 100) });
    await expect(first.done).rejects.toThrow(exportCapMessage("Patient.00002.ndjson", "output[2]", "100 KiB"));
    expect(filesIn(first.dir)).toEqual([`Patient.00000.ndjson ${40 * KIB}`, `Patient.00001.ndjson ${40 * KIB}`]);

    // The same cap again: the 80 KiB on disk count, so the third file still does not fit.
    const again = runPatientExport({ fhirBaseUrl: base, dir: first.dir, ...caps(64, 100) });
    await expect(again.done).rejects.toThrow(exportCapMessage("Patient.00002.ndjson", "output[2]", "100 KiB"));
    expect(filesIn(first.dir)).toHaveLength(2);

    // 120 KiB is the three files' sum: they fit, and only the missing one is downloaded.
    const resumed = runPatientExport({ fhirBaseUrl: base, dir: first.dir, ...caps(64, 120) });
    await resumed.done;
    expect(resumed.events.find((e) => e.event === "downloading")?.fields).toEqual({ files: 3, alreadyDownloaded: 2 });
    expect(filesIn(first.dir)).toEqual(["Patient.00000.ndjson", "Patient.00001.ndjson", "Patient.00002.ndjson"].map((name) => `${name} ${40 * KIB}`));
    expect(requests.get("a.ndjson")).toHaveLength(1);
    expect(requests.get("c.ndjson")).toHaveLength(3);
  });

  it("does not count the bytes of a try that failed (its .partial is deleted): only what is on disk counts", async () => {
    // The first try drops after 50 KiB, the second sends 60 KiB: 110 KiB came, 60 KiB are kept.
    const { base } = await exportServer(["a.ndjson"], (_name, n, response) => {
      if (n > 1) return serveBytes(60 * KIB)(response);
      response.writeHead(200, { "content-length": String(60 * KIB) });
      response.write(body(50 * KIB), () => setTimeout(() => response.socket?.destroy(), 20));
    });
    const { done, dir, retries } = runPatientExport({ fhirBaseUrl: base, ...caps(64, 100) });
    await done;
    expect(filesIn(dir)).toEqual([`Patient.00000.ndjson ${60 * KIB}`]);
    expect(retries).toHaveLength(1);
  });
});

describe("the cap on the export's bytes, with downloads in parallel", () => {
  it("counts the downloads under way together, and gives back the bytes of a try that failed while another download goes on", async () => {
    // a (50 KiB) sends half, then the rest once b has had its two tries; b's first try drops after
    // 40 KiB, its second sends 50 KiB. On disk: 100 KiB, the cap; counted without the release of
    // b's first try it would be 140 KiB.
    let requestsSoFar: Map<string, number[]> | null = null;
    const { base, requests } = await exportServer(["a.ndjson", "b.ndjson"], (name, n, response) => {
      if (name === "a.ndjson") {
        response.writeHead(200, { "content-length": String(50 * KIB) });
        response.write(body(25 * KIB));
        void until(() => (requestsSoFar?.get("b.ndjson")?.length ?? 0) >= 2).then(() => setTimeout(() => response.end(body(25 * KIB)), 50));
        return;
      }
      if (n > 1) return serveBytes(50 * KIB)(response);
      response.writeHead(200, { "content-length": String(50 * KIB) });
      response.write(body(40 * KIB), () => setTimeout(() => response.socket?.destroy(), 20));
    });
    requestsSoFar = requests;
    const { done, dir, retries } = runPatientExport({ fhirBaseUrl: base, ...caps(64, 100), parallel: 2 });
    await done;
    expect(filesIn(dir)).toEqual([`Patient.00000.ndjson ${50 * KIB}`, `Patient.00001.ndjson ${50 * KIB}`]);
    expect(requests.get("a.ndjson")).toHaveLength(1);
    expect(requests.get("b.ndjson")).toHaveLength(2);
    expect(retries).toHaveLength(1);
  });

  it("stops the download that takes three parallel ones past it, keeps those that fit, and leaves no .partial", async () => {
    // Three files of 40 KiB, each sent in two halves once all three are under way: 120 KiB
    // against a cap of 100 KiB. At most two fit (80 KiB); the one that passes the cap is stopped.
    let requestsSoFar: Map<string, number[]> | null = null;
    const { base, requests } = await exportServer(["a.ndjson", "b.ndjson", "c.ndjson"], (_name, _n, response) => {
      response.writeHead(200, { "content-length": String(40 * KIB) });
      response.write(body(20 * KIB));
      void until(() => (requestsSoFar?.size ?? 0) === 3).then(() => setTimeout(() => response.end(body(20 * KIB)), 50));
    });
    requestsSoFar = requests;
    const { done, dir, retries } = runPatientExport({ fhirBaseUrl: base, ...caps(64, 100), parallel: 3 });
    const error = (await done.catch((e: Error) => e)) as Error;
    const stopped = /^download (Patient\.0000[012]\.ndjson) \(the manifest's (output\[[012]\])\)/.exec(error.message);
    expect(stopped).not.toBeNull();
    expect(error.message).toBe(exportCapMessage(stopped![1]!, stopped![2]!, "100 KiB"));
    const kept = filesIn(dir);
    expect(kept.every((line) => line.endsWith(` ${40 * KIB}`) && !line.includes(".partial"))).toBe(true);
    expect(kept.length).toBeLessThanOrEqual(2);
    expect(kept.some((line) => line.startsWith(`${stopped![1]} `))).toBe(false);
    for (const name of ["a.ndjson", "b.ndjson", "c.ndjson"]) expect(requests.get(name)).toHaveLength(1);
    expect(retries).toEqual([]);
  });
});

describe("a killed run's .partial", () => {
  it("is deleted when the download starts, also when no try gets as far as writing the file (refused: 403)", async () => {
    const { base, requests } = await exportServer(["a.ndjson"], (_name, _n, response) => void response.writeHead(403).end());
    const dir = join(tempDir("patella-limits-stale-"), "export");
    mkdirSync(join(dir, "files"), { recursive: true });
    writeFileSync(join(dir, "files", "Patient.00000.ndjson.partial"), body(10 * KIB));
    const { done } = runPatientExport({ fhirBaseUrl: base, dir });
    await expect(done).rejects.toThrow(/^download Patient\.00000\.ndjson: HTTP 403$/);
    expect(requests.get("a.ndjson")).toHaveLength(1);
    expect(filesIn(dir)).toEqual([]);
  });

  it("is left when it is not a regular file (a folder: not a download's), and the download says it cannot write there", async () => {
    const { base } = await exportServer(["a.ndjson"], (_name, _n, response) => serveBytes(10)(response));
    const dir = join(tempDir("patella-limits-stale-"), "export");
    mkdirSync(join(dir, "files", "Patient.00000.ndjson.partial"), { recursive: true });
    const { done } = runPatientExport({ fhirBaseUrl: base, dir });
    await expect(done).rejects.toThrow(/^download Patient\.00000\.ndjson: /);
    expect(statSync(join(dir, "files", "Patient.00000.ndjson.partial")).isDirectory()).toBe(true);
  });
});

describe("the .partial of a download given up", () => {
  it("is deleted when its connection drops on every try (the error ends the run)", async () => {
    const { base, requests } = await exportServer(["a.ndjson"], (_name, _n, response) => {
      response.writeHead(200, { "content-length": String(100 * KIB) });
      response.write(body(10 * KIB), () => setTimeout(() => response.socket?.destroy(), 20));
    });
    const { done, dir } = runPatientExport({ fhirBaseUrl: base });
    await expect(done).rejects.toThrow(/^download Patient\.00000\.ndjson: /);
    expect(requests.get("a.ndjson")).toHaveLength(FAST_RETRY.attempts);
    expect(filesIn(dir)).toEqual([]);
  });
});

describe("a download's silence limit", () => {
  it("gives up a try whose server sent the headers and some bytes, then nothing; retries it as a fault, and ends after retry.attempts, with no .partial left", async () => {
    const { base, requests } = await exportServer(["a.ndjson"], (_name, _n, response) => {
      response.writeHead(200, { "content-type": "application/fhir+ndjson" });
      response.write(body(100));
    });
    const started = Date.now();
    const { done, dir, retries } = runPatientExport({ fhirBaseUrl: base, downloadIdleMs: 200 });
    await expect(done).rejects.toThrow(/^download Patient\.00000\.ndjson: no data received for 200 ms$/);
    const took = Date.now() - started;
    // Three tries of 200 ms of silence each, and backoffs of at most 20 ms.
    expect(took).toBeGreaterThanOrEqual(3 * 200);
    expect(took).toBeLessThan(3_000);
    expect(requests.get("a.ndjson")).toHaveLength(3);
    expect(retries).toEqual(["download Patient.00000.ndjson: no data received for 200 ms", "download Patient.00000.ndjson: no data received for 200 ms"]);
    expect(filesIn(dir)).toEqual([]);
  });

  it("gives up a try whose server never answers at all (no headers)", async () => {
    const { base, requests } = await exportServer(["a.ndjson"], () => undefined);
    const { done } = runPatientExport({ fhirBaseUrl: base, downloadIdleMs: 200 });
    await expect(done).rejects.toThrow(/^download Patient\.00000\.ndjson: no data received for 200 ms$/);
    expect(requests.get("a.ndjson")).toHaveLength(3);
  });

  it("is a limit on silence, not on the whole download: a file that takes a second, a few bytes every 50 ms, comes in whole", async () => {
    const { base } = await exportServer(["a.ndjson"], (_name, _n, response) => {
      response.writeHead(200, { "content-type": "application/fhir+ndjson" });
      let sent = 0;
      const drip = setInterval(() => {
        response.write(body(10));
        if (++sent === 20) {
          clearInterval(drip);
          response.end();
        }
      }, 50);
      response.on("close", () => clearInterval(drip));
    });
    const { done, dir, retries } = runPatientExport({ fhirBaseUrl: base, downloadIdleMs: 200 });
    await done;
    expect(filesIn(dir)).toEqual(["Patient.00000.ndjson 200"]);
    expect(retries).toEqual([]);
  });
});

describe("the limits given to the job's export (exportFromFhir, as --max-file-gib, --max-export-gib and --download-idle-timeout give them)", () => {
  let keyFile: string;
  beforeAll(async () => {
    const pair = await generateKeyPair("ES384", { extractable: true });
    keyFile = join(tempDir("patella-limits-key-"), "private.jwk.json");
    writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(pair.privateKey)), alg: "ES384" }), { mode: 0o600 });
  });
  const options = (fhirBaseUrl: string, extra: Partial<Parameters<typeof exportFromFhir>[0]>) => ({
    fhirBaseUrl,
    clientId: "c",
    keyFile,
    jobObservationsOnly: false,
    parallel: 1,
    outDir: tempDir("patella-limits-out-"),
    onEvent: () => undefined,
    retry: FAST_RETRY,
    ...extra,
  });

  it("reach the downloads", async () => {
    const { base } = await exportServer(["a.ndjson", "b.ndjson"], (name, _n, response) => serveBytes(name === "a.ndjson" ? 40 * KIB : 50 * KIB)(response));
    await expect(exportFromFhir(options(base, { maxFileBytes: 45 * KIB, maxExportBytes: 1024 * KIB }))).rejects.toThrow(fileCapMessage("Patient.00001.ndjson", "output[1]", "45 KiB"));
    await expect(exportFromFhir(options(base, { maxFileBytes: 64 * KIB, maxExportBytes: 80 * KIB }))).rejects.toThrow(exportCapMessage("Patient.00001.ndjson", "output[1]", "80 KiB"));

    const stalled = await exportServer(["a.ndjson"], (_name, _n, response) => void response.writeHead(200).flushHeaders());
    const out = tempDir("patella-limits-idle-");
    await expect(exportFromFhir(options(stalled.base, { downloadIdleMs: 200, outDir: out }))).rejects.toThrow(/^download Patient\.00000\.ndjson: no data received for 200 ms$/);
    expect(existsSync(join(out, "export", "files", "Patient.00000.ndjson.partial"))).toBe(false);
    expect(readdirSync(join(out, "export", "files"))).toEqual([]);
  });
});

describe("the options of npm run population", () => {
  it("refuses a limit of 0, and a limit without --fhir", async () => {
    const out = join(tempDir("patella-limits-cli-"), "out");
    for (const option of ["--max-file-gib", "--max-export-gib", "--request-timeout", "--download-idle-timeout"]) {
      const zero = await populationCli(["--fhir", "http://127.0.0.1:9/fhir", "--client-id", "c", "--key", "k.json", "--out", out, option, "0"]).done;
      expect(zero.code).toBe(2);
      expect(zero.stderr.split("\n")[0]).toBe(`${option} must be at least 1`);
      const alone = await populationCli(["--input", tempDir("patella-limits-in-"), "--out", out, option, "5"]).done;
      expect(alone.code).toBe(2);
      expect(alone.stderr.split("\n")[0]).toBe(`${option} needs --fhir`);
    }
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
