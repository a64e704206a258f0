/**
 * A guard against DNS rebinding for every sandbox server (EHR, CDS service, app): a request is
 * answered only when its Host header names the server as loopback does, `127.0.0.1:<port>`,
 * `localhost:<port>` (and `[::1]:<port>` when it listens on IPv6 loopback). A web page on
 * evil.example whose name is re-pointed at 127.0.0.1 reaches the port, but its requests still say
 * `Host: evil.example`: they get 421 and a text saying why, and the page reads nothing.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The Host header values a server listening at `address` answers to, lower case. A server on
 * every address (0.0.0.0, ::) answers to the loopback names only: the point is that the sandbox is
 * reached as loopback.
 */
export function allowedHosts(address: AddressInfo): string[] {
  const names = new Set(["localhost"]);
  const ip = address.address.toLowerCase();
  if (address.family === "IPv6" || ip.includes(":")) {
    if (ip === "::" || ip === "::1") names.add("[::1]");
    else names.add(`[${ip}]`);
    // An IPv6 wildcard also takes IPv4 (dual stack).
    if (ip === "::") names.add("127.0.0.1");
  } else {
    names.add(ip === "0.0.0.0" ? "127.0.0.1" : ip);
  }
  const hosts = [...names].map((name) => `${name}:${address.port}`);
  // A browser leaves the port out of Host when it is the scheme's default.
  if (address.port === 80) hosts.push(...names);
  return hosts;
}

/** The 421 answer to a request whose Host is not the server's: text, nothing of the sandbox. */
function refuse(allowed: readonly string[], req: IncomingMessage, res: ServerResponse): void {
  const named = req.headers.host === undefined ? "no Host header" : `Host ${JSON.stringify(req.headers.host.slice(0, 100))}`;
  const body =
    `Refused (${named}): this Patella sandbox server answers only requests addressed to ${allowed.join(" or ")}. ` +
    "A page that reaches it under another name may be a DNS rebinding attack (sandbox/README.md).\n";
  res.writeHead(421, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
  });
  res.end(body);
}

/**
 * An HTTP server that passes to `handler` only the requests addressed to it as loopback (above).
 * The names allowed are read from its address at its first request: it listens by then, and its
 * address does not change.
 */
export function createLoopbackServer(handler: RequestListener): Server {
  const server = createServer();
  let allowed: string[] | undefined;
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const address = server.address();
    allowed ??= address !== null && typeof address !== "string" ? allowedHosts(address) : [];
    const host = req.headers.host?.toLowerCase();
    if (host !== undefined && allowed.includes(host)) handler(req, res);
    else refuse(allowed, req, res);
  });
  return server;
}
