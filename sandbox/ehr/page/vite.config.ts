/** Builds the sandbox EHR page into dist/sandbox-ehr (served by the sandbox at /). */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  base: "/",
  logLevel: "warn",
  build: { outDir: fileURLToPath(new URL("../../../dist/sandbox-ehr", import.meta.url)), emptyOutDir: true },
});
