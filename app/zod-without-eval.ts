/**
 * zod without its `new Function` probe. zod 4 tries `new Function("")` once to decide whether it
 * may compile fast parsers; the app's Content-Security-Policy has no 'unsafe-eval' (app/README.md,
 * "Serving the app"), so the probe fails, harmlessly, but the browser reports it as a policy
 * violation to whatever collects them. Imported first by each page's entry, before any parse.
 */
import { z } from "zod";

z.config({ jitless: true });
