/** Builds the EHR page and the SMART app with vite into dist/ (git-ignored). */
import { fileURLToPath } from "node:url";
import { build } from "vite";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const EHR_PAGE_DIR = `${REPO_ROOT}dist/sandbox-ehr`;
export const APP_DIR = `${REPO_ROOT}dist/app`;

/**
 * Always the production build. Under vitest NODE_ENV is "test", and vite takes NODE_ENV over its
 * build mode (React's development runtime and JSX transform, other chunks): the end-to-end tests
 * would drive a different app from the one `npm start` serves and a site deploys. Vite reads it
 * while it resolves each config, so it is set for the builds and put back after.
 */
export async function buildFrontEnds(): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    // One after the other: on a 2-core machine parallel builds are no faster, and errors interleave.
    await build({ configFile: `${REPO_ROOT}sandbox/ehr/page/vite.config.ts`, logLevel: "error" });
    await build({ configFile: `${REPO_ROOT}app/vite.config.ts`, logLevel: "error" });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
