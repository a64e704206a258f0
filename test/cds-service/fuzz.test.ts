/**
 * Throws 1,200 generated malformed hook and feedback bodies at the service: every answer must
 * be a 4xx OperationOutcome and the process must stay alive (a final valid call still works).
 * Then valid bodies made hostile in ways a schema does not catch (deep nesting, repeated ids):
 * no 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fullPrefetch, hookBody, patientRecord, searchset } from "./support/hook-requests.ts";
import { HOOK_PATH, startTestService, type TestService } from "./support/test-service.ts";

/** mulberry32: a seeded generator so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD: unknown[] = [null, "", 0, -1, 1e308, true, [], {}, "x".repeat(300), { resourceType: "Bundle", entry: "x" }, [null], "{{context.patientId}}", "../../etc/passwd", { __proto__: { polluted: 1 } }, { constructor: { prototype: { x: 1 } } }];

type Json = unknown;

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/** Mutates one path of a valid body into something invalid or odd. */
function mutate(rand: () => number, value: Json, depth = 0): Json {
  if (depth > 4 || value === null || typeof value !== "object" || rand() < 0.25) return pick(rand, WEIRD);
  if (Array.isArray(value)) {
    if (value.length === 0) return [pick(rand, WEIRD)];
    const copy = [...value];
    const i = Math.floor(rand() * copy.length);
    copy[i] = mutate(rand, copy[i], depth + 1);
    return copy;
  }
  const copy: Record<string, Json> = { ...(value as Record<string, Json>) };
  const keys = Object.keys(copy);
  const action = rand();
  const key = pick(rand, keys);
  if (action < 0.2) delete copy[key];
  else if (action < 0.3) copy[`extra${Math.floor(rand() * 9)}`] = pick(rand, WEIRD);
  else copy[key] = mutate(rand, copy[key], depth + 1);
  return copy;
}

/** Sets a path, creating objects on the way (a prior mutation may have replaced a parent). */
function setPath(body: Json, path: readonly string[], value: Json | typeof DELETE): Json {
  const root: Record<string, Json> = body !== null && typeof body === "object" && !Array.isArray(body) ? { ...(body as Record<string, Json>) } : {};
  const [head, ...rest] = path;
  if (rest.length === 0) {
    if (value === DELETE) delete root[head!];
    else root[head!] = value;
  } else if (head === "0") {
    return [setPath(Array.isArray(body) ? body[0] : undefined, rest, value)];
  } else root[head!] = setPath(root[head!], rest, value);
  return root;
}

const DELETE = Symbol("delete");
const NOT_NULL = WEIRD.filter((w) => w !== null);
const NOT_STRING = WEIRD.filter((w) => typeof w !== "string");

/** Each of these makes a body invalid on its own, whatever else was changed before. */
const BREAK_HOOK: [string[], readonly unknown[]][] = [
  [["hook"], [DELETE, ...WEIRD]],
  [["hookInstance"], [DELETE, ...WEIRD]],
  [["context"], [DELETE, ...WEIRD]],
  [["context", "patientId"], [DELETE, ...WEIRD]],
  [["context", "userId"], [DELETE, ...NOT_STRING]],
  [["prefetch"], WEIRD.filter((w) => w === null || typeof w !== "object" || Array.isArray(w))],
  [["prefetch", "patient"], NOT_NULL],
  [["prefetch", "conditions"], NOT_NULL],
  [["prefetch", "encounters"], NOT_NULL],
  [["prefetch", "medicationRequests"], NOT_NULL],
];
const BREAK_FEEDBACK: [string[], readonly unknown[]][] = [
  [["feedback"], [DELETE, ...WEIRD]],
  [["feedback", "0", "outcome"], [DELETE, ...WEIRD]],
  [["feedback", "0", "outcomeTimestamp"], [DELETE, ...WEIRD]],
  [["feedback", "0", "card"], [DELETE, ...NOT_STRING]],
];

const RAW_BODIES = ["", "{", "[]", "null", "42", '"patient-view"', '{"hook":', "\u0000\u0001", "{}".repeat(10), "[".repeat(5000) + "]".repeat(5000), '{"a":1}garbage'];

describe("fuzzing the hook and feedback endpoints", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({ config: { limits: { rateLimitPerWindow: 100_000, bodyLimit: "256kb" } } });
  });
  afterAll(() => svc.close());

  // A malformed fhirAuthorization alone is not an error (the prefetch may be complete), so it is not a breaker here.
  it("answers 1,200 malformed bodies with 4xx only and stays alive", { timeout: 120_000 }, async () => {
    const rand = prng(20261127);
    const base = hookBody({ prefetch: fullPrefetch() });
    const feedbackBase = { feedback: [{ card: crypto.randomUUID(), outcome: "accepted", outcomeTimestamp: new Date().toISOString() }] };
    const statuses = new Map<number, number>();
    const wrong: string[] = [];
    const calls = Array.from({ length: 1200 }, (_, i) => {
      const toFeedback = i % 5 === 4;
      const path = toFeedback ? `${HOOK_PATH}/feedback` : HOOK_PATH;
      if (i % 25 === 0) return { path, call: { rawBody: pick(rand, RAW_BODIES) } };
      // Random mutations first (they may or may not break the body), then one that surely does.
      let body: Json = toFeedback ? feedbackBase : base;
      const rounds = Math.floor(rand() * 3);
      for (let r = 0; r < rounds; r++) body = mutate(rand, body);
      const [where, values] = pick(rand, toFeedback ? BREAK_FEEDBACK : BREAK_HOOK);
      return { path, call: { body: setPath(body, where, pick(rand, values) as Json) } };
    });
    // Eight at a time: concurrent calls are part of what must not crash the process.
    for (let start = 0; start < calls.length; start += 8) {
      await Promise.all(
        calls.slice(start, start + 8).map(async ({ path, call }, j) => {
          const res = await svc.call("POST", path, call);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status < 400 || res.status >= 500) wrong.push(`${start + j}: ${res.status} ${JSON.stringify(call).slice(0, 400)}`);
        }),
      );
    }
    expect(wrong).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(1200);
    const alive = await svc.call("POST", HOOK_PATH, { body: hookBody() });
    expect(alive.status).toBe(200);
  });

  /**
   * JSON text of objects and arrays nested `depth` levels deep, as any caller can send within the body
   * limit (as text: JSON.stringify in the test client would itself overflow the stack).
   */
  const nested = (depth: number): string =>
    '{"x":['.repeat(depth) + '"bottom"' + "]}".repeat(depth);
  const DEEP = "__deep__";
  /** A hook body with every "__deep__" string replaced by a deeply nested extension. */
  const withDeep = (prefetch: Record<string, unknown>, depth: number): string =>
    JSON.stringify(hookBody({ prefetch })).replaceAll(`"${DEEP}"`, nested(depth));

  it("answers deeply nested resources and repeated ids without a 5xx", async () => {
    const r = patientRecord();
    const [first, ...rest] = r.conditions as unknown as Record<string, unknown>[];
    const deepTwin = { ...first!, extension: [DEEP] };
    const bodies: [string, string][] = [
      ["duplicate id, one version 10,000 levels deep", withDeep({ ...fullPrefetch(), conditions: searchset([first, deepTwin, ...rest] as never[]) }, 10_000)],
      ["duplicate id, deep version first", withDeep({ ...fullPrefetch(), conditions: searchset([deepTwin, first, ...rest] as never[]) }, 10_000)],
      ["deep patient", withDeep({ ...fullPrefetch(), patient: { ...(r.patient as object), extension: [DEEP] } }, 10_000)],
      ["every condition repeated with the same id", withDeep({ ...fullPrefetch(), conditions: searchset([...r.conditions, ...r.conditions, ...r.conditions]) }, 0)],
      [
        "deep extension on every resource and in the context",
        withDeep({ ...Object.fromEntries(Object.entries(fullPrefetch()).map(([k, v]) => [k, { ...(v as object), extension: [DEEP] }])), extra: DEEP }, 3_000),
      ],
    ];
    for (const [what, rawBody] of bodies) {
      const res = await svc.call("POST", HOOK_PATH, { rawBody });
      expect(res.status, what).toBe(200);
    }
  });
});
