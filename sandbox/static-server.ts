/** Serves a built front end (the SMART app) on its own origin, as it would be deployed. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { listen } from "./listen.ts";

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function startStaticServer(dir: string, port: number, host: string, what: string): Promise<StaticServer> {
  const app = express();
  app.disable("x-powered-by");
  app.use(express.static(dir));
  const server = createServer(app);
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
