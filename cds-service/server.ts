/**
 * Listening and graceful shutdown: stop accepting connections, let requests in flight finish
 * within a grace period, then cut what is left. Used by main.ts and by the tests and bench.
 *
 * Keep-alive makes "stop accepting" more than closing the listener: an EHR's open connection
 * would keep bringing new requests for the whole grace period, and those in flight when it ends
 * would be reset. So on close: idle connections are closed at once, each response still in
 * flight carries `Connection: close` (its connection ends with it), and a request that arrives
 * on a connection still open gets 503 with `Connection: close` (the EHR or load balancer retries
 * another replica). Idle connections close after a 100 ms window in which requests already on
 * the wire get that 503 instead of a reset.
 */
import type { Express } from "express";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { operationOutcome } from "./http/operation-outcome.ts";

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

/** How long requests in transit are awaited before idle connections close (see close()). */
const IDLE_DRAIN_MS = 100;

const SHUTTING_DOWN = JSON.stringify(operationOutcome("transient", "The service is shutting down; retry"));

export function listen(app: Express, options: ListenOptions): Promise<RunningServer> {
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (closing) {
      res.writeHead(503, { "Content-Type": "application/fhir+json", Connection: "close", "Retry-After": "1" });
      res.end(SHUTTING_DOWN);
      return;
    }
    inFlight.add(res);
    res.on("close", () => {
      inFlight.delete(res);
      // Its connection may now be idle (a response that began before close kept keep-alive).
      if (closing) server.closeIdleConnections();
    });
    app(req, res);
  });
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
            closing = true;
            for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            timer.unref();
            // A request already on its way to an idle connection must be read (and get the 503)
            // before that connection is closed: closing it under the request would reset it.
            // server.close() closes idle connections itself, so it waits as well.
            // setImmediate after the timer: a late timer runs before the reads that are already
            // waiting, and the poll phase between the two reads them.
            const closeIdle = () => {
              server.close(() => {
                clearTimeout(timer);
                done();
              });
              server.closeIdleConnections();
            };
            setTimeout(() => setImmediate(closeIdle), Math.min(IDLE_DRAIN_MS, graceMs)).unref();
          }),
      });
    });
  });
}
