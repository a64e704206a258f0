/**
 * Builds the SMART app into dist/app: the launch page at the repository root (dist/app/launch.html),
 * the app itself (dist/app/app/index.html), and the runtime config (dist/app/patella-app.json,
 * from app/public/) that a site edits without rebuilding.
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  root: here(".."),
  base: "./",
  logLevel: "warn",
  publicDir: here("public"),
  plugins: [react()],
  build: {
    outDir: here("../dist/app"),
    emptyOutDir: true,
    // The .onnx models and the model card stay files (not inlined), loaded only when needed.
    assetsInlineLimit: 0,
    rollupOptions: { input: { index: here("index.html"), launch: here("../launch.html") } },
  },
});
