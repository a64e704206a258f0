// Entry of the scoring worker threads. A worker does not inherit the TypeScript loader of the
// thread that starts it (tsx, vitest), so this plain module loads the TypeScript worker through
// tsx's API.
import { tsImport } from "tsx/esm/api";

await tsImport("./score-worker.ts", import.meta.url);
