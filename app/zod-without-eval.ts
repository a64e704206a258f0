/**
 * zod without its `new Function` probe. zod 4 tries `new Function("")` once to decide whether it
 * may compile fast parsers; the app's Content-Security-Policy has no 'unsafe-eval' (app/README.md,
 * "Serving the app"), so the probe fails, harmlessly, but the browser reports it as a policy
 * violation to whatever collects them. Imported first by each page's entry, before any parse.
 * The app bundles zod/mini only (shared/zod-mini.ts); the setting is zod's one global config.
 */
import { z } from "../shared/zod-mini.ts";

z.config({ jitless: true });
