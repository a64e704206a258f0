/**
 * Builds the SMART app into dist/app: the launch page at the repository root (dist/app/launch.html),
 * the app itself (dist/app/app/index.html), the runtime config (dist/app/patella-app.json,
 * from app/public/) that a site edits without rebuilding, and the model card as a page
 * (dist/app/model-card.html).
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { modelCardPlugin } from "./model-card/vite-plugin.ts";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  root: here(".."),
  base: "./",
  logLevel: "warn",
  publicDir: here("public"),
  plugins: [react(), modelCardPlugin(here("../models/deep-koa/MODEL_CARD.md"))],
  // The model worker is a module worker: onnxruntime-web locates its WASM from import.meta.
  worker: { format: "es" },
  // fhirclient's "pure" build (the flag its own browser bundles use): no fetch and AbortController
  // polyfills (cross-fetch, abortcontroller-polyfill), which every browser the app supports has;
  // 5 KB gzip of the app's JavaScript budget.
  define: { FHIRCLIENT_PURE: "true" },
  // fhirclient's logger writes nothing in the app: its lines hold the token (silent-debug.ts).
  resolve: { alias: { debug: here("silent-debug.cts") } },
  build: {
    outDir: here("../dist/app"),
    emptyOutDir: true,
    // The .onnx models stay files (not inlined), loaded only when needed.
    assetsInlineLimit: 0,
    rollupOptions: { input: { index: here("index.html"), launch: here("../launch.html") } },
  },
});
