/**
 * `npx tsx bench/cpu-profile-summary.ts FILE.cpuprofile...`: where a CDS service process spent
 * its time, from the V8 CPU profiles that `npm run bench:hook -- --cpu-prof DIR` writes (one per
 * process). Prints each kind of work's share of the busy samples (start-up and idle left out)
 * and the functions with the most self time.
 *
 * A sample goes to the first kind, in the order below, that any frame of its stack belongs to,
 * so "rate limiters" counts only what the limiters do themselves: the middleware they call next
 * is matched first by its own kind. V8 samples wall time while the process runs: on a loaded
 * machine every share is inflated alike, and a native call that waits (an SQLite lock, an
 * fsync) counts as busy.
 */
import { readFileSync } from "node:fs";
import { benchArgs } from "./bench-args.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const STARTUP = /modules\/esm|modules\/cjs|bootstrap\/realm|initOrt|OnnxruntimeSessionHandler|loadModelPool|runWorker|^evaluate@/;

const KINDS: [kind: string, frame: RegExp][] = [
  ["garbage collector", /^\(garbage collector\)/],
  ["body read and JSON.parse", /body-parser|raw-body|string_decoder/],
  ["JWT verification (jose, WebCrypto)", /jose|crypto\/(util|ec|webcrypto|keys)/],
  ["replay insert (SQLite)", /^remember@/],
  ["issued card record (SQLite)", /^recordIssued@/],
  ["explanation", /^explainRisk@/],
  ["model run (onnxruntime)", /onnxruntime/],
  ["gather, features, card", /^answerPatientView@|^assessRisk@|^buildFeatures@|^gatherPatientData@|\/shared\/|cds-service\/(cards|fhir|risk)\//],
  ["validation (zod)", /zod|^parsePatientViewCall@/],
  ["rate limiters", /express-rate-limit/],
  ["logging (pino)", /pino|sonic-boom|request-log/],
  ["HTTP response write", /_http_outgoing|^writev@|stream_base_commons/],
  ["Express, helmet, CORS", /router|express|helmet|cors/],
  ["HTTP server, sockets", /_http_server|_http_common|node:net|_http_incoming|internal\/streams\//],
];

const frameName = (node: ProfileNode): string => `${node.callFrame.functionName || "(anonymous)"}@${node.callFrame.url}`;

function summarize(files: readonly string[]): { kinds: Map<string, number>; functions: Map<string, number>; busy: number } {
  const kinds = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    // Per leaf node: its kind, or null for idle and start-up samples.
    const kindOf = new Map<number, string | null>();
    const classify = (id: number): string | null => {
      const stack: string[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(frameName(byId.get(at)!));
      if (stack[0]!.startsWith("(idle)") || stack.some((f) => STARTUP.test(f))) return null;
      return KINDS.find(([, frame]) => stack.some((f) => frame.test(f)))?.[0] ?? "other";
    };
    profile.samples.forEach((id, i) => {
      if (!kindOf.has(id)) kindOf.set(id, classify(id));
      const kind = kindOf.get(id);
      if (kind === null || kind === undefined) return;
      const us = profile.timeDeltas[i] ?? 0;
      busy += us;
      kinds.set(kind, (kinds.get(kind) ?? 0) + us);
      const { callFrame } = byId.get(id)!;
      const where = `${callFrame.functionName || "(anonymous)"} ${callFrame.url.replace(/^.*node_modules\//, "")}:${callFrame.lineNumber + 1}`;
      functions.set(where, (functions.get(where) ?? 0) + us);
    });
  }
  return { kinds, functions, busy };
}

const args = benchArgs(import.meta.url, { command: "npx tsx bench/cpu-profile-summary.ts", options: {}, positionals: "FILE.cpuprofile..." });
const files = args.positionals;
if (files.length === 0) args.usageError("no profile files given");
const { kinds, functions, busy } = summarize(files);
const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
console.log(`busy samples: ${(busy / 1e6).toFixed(1)} s (start-up and idle left out)\n\nshare by kind of work:`);
for (const [kind, us] of top(kinds, KINDS.length + 1)) console.log(`  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${kind}`);
console.log("\nself time by function:");
for (const [where, us] of top(functions, 25)) console.log(`  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${where}`);
