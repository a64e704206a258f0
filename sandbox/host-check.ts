/**
 * A guard against DNS rebinding for every sandbox server (EHR, CDS service, app): a request is
 * answered only when its Host header names the server as loopback does, `127.0.0.1:<port>`,
 * `localhost:<port>` (and `[::1]:<port>` when it listens on IPv6 loopback). A web page on
 * evil.example whose name is re-pointed at 127.0.0.1 reaches the port, but its requests still say
 * `Host: evil.example`: they get 421 and a text saying why, and the page reads nothing.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
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

/** Whether `host` (the request's Host header) is one `server` answers to. */
export function hostAllowed(server: Server, host: string | undefined): boolean {
  const address = server.address();
  if (host === undefined || address === null || typeof address === "string") return false;
  return allowedHosts(address).includes(host.toLowerCase());
}

/** The 421 answer to a request whose Host is not the server's: text, nothing of the sandbox. */
function refuse(server: Server, req: IncomingMessage, res: ServerResponse): void {
  const address = server.address();
  const allowed = address !== null && typeof address !== "string" ? allowedHosts(address).join(" or ") : "this server's loopback address";
  const named = req.headers.host === undefined ? "no Host header" : `Host ${JSON.stringify(req.headers.host.slice(0, 100))}`;
  const body =
    `Refused (${named}): this Patella sandbox server answers only requests addressed to ${allowed}. ` +
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
 * `handler` behind the Host check of `server` (which must listen before requests come, as it
 * does: the allowed names are read from its address at each request).
 */
export function withHostCheck(server: Server, handler: RequestListener): RequestListener {
  return (req, res) => (hostAllowed(server, req.headers.host) ? handler(req, res) : refuse(server, req, res));
}
