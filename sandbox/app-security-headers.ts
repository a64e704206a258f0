/**
 * The response headers the SMART app is served with, in the sandbox as a site should serve it
 * (app/README.md, "Serving the app"): a Content-Security-Policy under which the whole app runs
 * (scripts, its worker and the onnxruntime WASM from its own origin only; requests only to its
 * own origin and the EHR's FHIR and authorization servers; no plugins, forms or base URL), framed
 * only by the EHR (frame-ancestors; X-Frame-Options cannot name another origin, so it is not
 * sent), and no Referer on links out of it. helmet builds them, as for the CDS service.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { RequestHandler } from "express";
import helmet from "helmet";

export interface AppHeaderOrigins {
  /** Origins the app calls: the FHIR servers, their authorization servers, smart_style_url's. */
  connect: readonly string[];
  /** Origins of the EHR pages that embed the app in a frame. */
  frameAncestors: readonly string[];
  /** CSP hashes ('sha256-...') of the inline <style> elements of the app's static pages. */
  inlineStyles: readonly string[];
}

export function appSecurityHeaders(origins: AppHeaderOrigins): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        // WebAssembly compilation of the onnxruntime binary needs 'wasm-unsafe-eval', not 'unsafe-eval'.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        workerSrc: ["'self'"],
        connectSrc: ["'self'", ...origins.connect],
        styleSrc: ["'self'", ...origins.inlineStyles],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'", ...origins.frameAncestors],
      },
    },
    frameguard: false,
    referrerPolicy: { policy: "no-referrer" },
  });
}

/** The CSP hashes of the inline <style> elements of an HTML file (the model card page has one). */
export function inlineStyleHashes(htmlFile: string): string[] {
  const html = readFileSync(htmlFile, "utf8");
  return [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => `'sha256-${createHash("sha256").update(m[1]!).digest("base64")}'`);
}
