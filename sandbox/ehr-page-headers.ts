/**
 * The response headers of the sandbox EHR page (index.html and its assets, built by vite): a
 * Content-Security-Policy fitting what the page loads (its own script and style sheet, the empty
 * data: icon, fetches to its own /ehr/api), which frames nothing but the registered SMART apps
 * (frame-src: the origins of their redirect URIs, read at each request, as the app is registered
 * once its port is known) and the EHR's own authorization server (an EHR launch in the panel
 * passes through its /auth/authorize before it lands back on the app; named by the EHR's URL,
 * which is 'self' for the page opened as printed), and is framed by nothing
 * (frame-ancestors 'none', X-Frame-Options DENY). helmet builds them, as for the app
 * (app-security-headers.ts).
 */
import type { RequestHandler } from "express";
import helmet from "helmet";
import type { AppClient } from "./auth/clients.ts";

/** The distinct http(s) origins of the apps' redirect URIs. */
export function appOrigins(appClients: readonly AppClient[]): string[] {
  const origins = new Set<string>();
  for (const client of appClients) {
    for (const uri of client.redirectUris) {
      try {
        const url = new URL(uri);
        if (url.protocol === "http:" || url.protocol === "https:") origins.add(url.origin);
      } catch {
        // Not a URL: nothing to frame.
      }
    }
  }
  return [...origins];
}

/** `ehrUrl`: the EHR's origin as its authorization server names itself (e.g. http://127.0.0.1:4100). */
export function ehrPageHeaders(ehrUrl: string, appClients: readonly AppClient[]): RequestHandler {
  const authOrigin = new URL(ehrUrl).origin;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // The page's icon is the empty data: URL (no /favicon.ico request).
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameSrc: [() => [...new Set([authOrigin, ...appOrigins(appClients)])].join(" ")],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
  });
}
