/** Builds the SMART app (launch.html + index.html) into dist/app. */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "./",
  logLevel: "warn",
  build: {
    outDir: here("../dist/app"),
    emptyOutDir: true,
    rollupOptions: { input: { index: here("index.html"), launch: here("launch.html") } },
  },
});
