/** Serves a built front end (the SMART app) on its own origin, as it would be deployed. */
import type { AddressInfo } from "node:net";
import express, { type RequestHandler } from "express";
import { createLoopbackServer } from "./host-check.ts";
import { listen } from "./listen.ts";

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

interface StaticServerOptions {
  /** JSON served in place of the files of those paths (e.g. the app's runtime config, which
   * names the FHIR server, whose port is known only once it listens). */
  jsonFiles?: Record<string, unknown>;
  /** Where `/` sends a browser (a relative URL), e.g. the app's standalone launch; else 404. */
  home?: string;
  /** Sets the response headers of every answer (app-security-headers.ts). */
  headers?: RequestHandler;
}

export async function startStaticServer(dir: string, port: number, host: string, what: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const { jsonFiles = {}, home, headers } = options;
  const app = express();
  app.disable("x-powered-by");
  if (headers !== undefined) app.use(headers);
  if (home !== undefined) app.get("/", (_req, res) => void res.redirect(302, home));
  for (const [path, body] of Object.entries(jsonFiles)) app.get(path, (_req, res) => void res.set("cache-control", "no-cache").json(body));
  app.use(express.static(dir));
  // Only requests addressed to 127.0.0.1/localhost:<port> reach the app (DNS rebinding guard).
  const server = createLoopbackServer(app);
  await listen(server, port, host, what);
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
