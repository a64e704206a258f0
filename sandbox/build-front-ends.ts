/** Builds the EHR page and the SMART app with vite into dist/ (git-ignored). */
import { fileURLToPath } from "node:url";
import { build } from "vite";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const EHR_PAGE_DIR = `${REPO_ROOT}dist/sandbox-ehr`;
export const APP_DIR = `${REPO_ROOT}dist/app`;

export async function buildFrontEnds(): Promise<void> {
  // One after the other: on a 2-core machine parallel builds are no faster, and errors interleave.
  await build({ configFile: `${REPO_ROOT}sandbox/ehr/page/vite.config.ts`, logLevel: "error" });
  await build({ configFile: `${REPO_ROOT}app/vite.config.ts`, logLevel: "error" });
}
