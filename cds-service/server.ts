/**
 * Listening and graceful shutdown: stop accepting connections, let requests in flight finish
 * within a grace period, then cut what is left. Used by main.ts and by the tests and bench.
 */
import type { Express } from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RunningServer {
  server: Server;
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** Stops accepting, waits up to graceMs for requests in flight, then closes everything. */
  close(graceMs?: number): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string;
  /** Slow or stalled clients are cut after this long. Default 30 s. */
  requestTimeoutMs?: number;
}

export function listen(app: Express, options: ListenOptions): Promise<RunningServer> {
  const server = createServer(app);
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.headersTimeout = Math.min(server.requestTimeout, 15_000);
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      resolve({
        server,
        url: `http://${host}:${port}`,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            timer.unref();
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
