/**
 * Polling the export's status URL over real connections (a node:http server on 127.0.0.1, port
 * 0), for what msw cannot show: connections that drop. They are errors, of which `retry.attempts`
 * in a row end the poll; a healthy answer between them starts the count again.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bulkExport } from "../../../population/bulk/bulk-export.ts";
import { tempDir } from "../fixtures.ts";

const MANIFEST = JSON.stringify({ transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output: [], error: [] });
let server: Server | null = null;
afterEach(() => server?.close());

/** A FHIR server whose status URL answers by `plan` ("drop", "busy", "done"), one a poll. */
async function serverWith(plan: ("drop" | "busy" | "done")[]): Promise<{ base: string; polls: () => number }> {
  let polls = 0;
  server = createServer((request, response) => {
    if (request.url!.includes("$export")) return void response.writeHead(202, { "content-location": "/fhir/status/1" }).end();
    if (request.method === "DELETE") return void response.writeHead(202).end();
    const step = plan[polls++] ?? "done";
    if (step === "drop") return void request.socket.destroy();
    if (step === "busy") return void response.writeHead(429, { "retry-after": "0" }).end();
    response.writeHead(200, { "content-type": "application/json" }).end(MANIFEST);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/fhir`, polls: () => polls };
}

function exportFrom(base: string, retries: string[]) {
  return bulkExport({
    fhirBaseUrl: base,
    types: ["Patient"],
    parallel: 1,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, onRetry: (why) => retries.push(why) },
    token: async () => "tok",
    dir: join(tempDir("patella-poll-conn-"), "export"),
    onEvent: () => undefined,
  });
}

describe("polling over connections that drop", () => {
  it("ends after retry.attempts dropped connections in a row, naming the request and the cause", async () => {
    const { base, polls } = await serverWith(["drop", "drop", "drop", "drop"]);
    const retries: string[] = [];
    await expect(exportFrom(base, retries)).rejects.toThrow(/^export status: fetch failed \(.+\)$/);
    expect(polls()).toBe(3);
    expect(retries).toHaveLength(2);
    for (const why of retries) expect(why).toMatch(/^export status: fetch failed \(.+\)$/);
  });

  it("goes on when a busy answer (429) comes between dropped connections: they are not in a row", async () => {
    const { base, polls } = await serverWith(["drop", "drop", "busy", "drop", "drop", "done"]);
    const retries: string[] = [];
    await exportFrom(base, retries);
    expect(polls()).toBe(6);
    expect(retries).toHaveLength(4);
  }, 10_000);
});
