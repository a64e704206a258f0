/**
 * zod/mini, the tree-shakable build of zod, for the schemas the browser bundles too (the SMART
 * app's runtime config, the imaging AI reader): the full build would cost the app about 40 KB of
 * its 300 KB (gzip). zod/mini loads no locale, so its issues would read "Invalid input" where the
 * full build says what was expected and what came; the app's config errors and the imaging
 * reader's problem lines quote them, so English is set here, wherever the schemas run. Nor does
 * zod/mini compile parsers with `new Function`: the app's Content-Security-Policy, which has no
 * 'unsafe-eval', sees no attempt (the full build probes for it once).
 */
import * as z from "zod/mini";
import { en } from "zod/locales";

z.config(en());

export { z };
