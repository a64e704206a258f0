/**
 * Builds the SMART app into dist/app: the launch page at the repository root (dist/app/launch.html)
 * and the app itself (dist/app/app/index.html), keeping the paths they have in the source tree.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  root: here(".."),
  base: "./",
  logLevel: "warn",
  build: {
    outDir: here("../dist/app"),
    emptyOutDir: true,
    rollupOptions: { input: { index: here("index.html"), launch: here("../launch.html") } },
  },
});
