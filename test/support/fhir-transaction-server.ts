/**
 * A real FHIR R4 server for import tests: Medplum's FHIR router over an in-memory repository,
 * on an ephemeral port, accepting transactions at the base and reads and searches below it.
 */
import type { AddressInfo } from "node:net";
import { FhirRouter, MemoryRepository } from "@medplum/fhir-router";
import express from "express";
import { ensureFhirDefinitions } from "../../sandbox/fhir/definitions.ts";

export interface TransactionServer {
  base: string;
  repo: MemoryRepository;
  requests: number;
  close(): Promise<void>;
}

export async function startTransactionServer(): Promise<TransactionServer> {
  ensureFhirDefinitions();
  const router = new FhirRouter();
  const repo = new MemoryRepository();
  const app = express();
  app.use(express.json({ type: ["application/json", "application/fhir+json"], limit: "10mb" }));
  const state = { requests: 0 };
  app.all("/fhir/{*rest}", async (req, res) => {
    state.requests++;
    const url = req.originalUrl.replace(/^\/fhir/, "") || "/";
    const [outcome, resource] = await router.handleRequest(
      { method: req.method as "GET" | "POST", url, pathname: "", body: req.body, params: {}, query: {} },
      repo,
    );
    const ok = outcome.issue?.[0]?.severity === "information";
    res.status(ok ? 200 : 400).type("application/fhir+json").send(JSON.stringify(resource ?? outcome));
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}/fhir`,
    repo,
    get requests() {
      return state.requests;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
