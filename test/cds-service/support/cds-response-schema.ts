/**
 * A strict schema of CDS Hooks 2.0 responses (cds-hooks.hl7.org/2.0), applied by the test
 * client to every response in the suite: discovery, cards, feedback, and OperationOutcome
 * errors. Besides the shapes it enforces the rules people get wrong: optional fields are
 * omitted, never null, "" or [] (except `cards: []`), summary < 140 characters,
 * suggestions need selectionBehavior, override reasons need a display, appContext only on
 * smart links.
 */
import { z } from "zod";

const text = z.string().min(1);

const CodingSchema = z.strictObject({ system: text.optional(), code: text, display: text.optional() });

const ActionSchema = z
  .strictObject({
    type: z.enum(["create", "update", "delete"]),
    description: text,
    resource: z.looseObject({ resourceType: text }).optional(),
    resourceId: text.optional(),
  })
  .refine((a) => (a.type === "delete" ? a.resourceId !== undefined : a.resource !== undefined), "create/update need a resource, delete a resourceId");

const SuggestionSchema = z.strictObject({
  label: text,
  uuid: z.uuid().optional(),
  isRecommended: z.boolean().optional(),
  actions: z.array(ActionSchema).min(1).optional(),
});

const LinkSchema = z
  .strictObject({ label: text, url: z.url(), type: z.enum(["absolute", "smart"]), appContext: text.optional() })
  .refine((l) => l.appContext === undefined || l.type === "smart", "appContext only on smart links");

export const CardSchema = z
  .strictObject({
    uuid: z.uuid().optional(),
    summary: text.max(139),
    detail: text.optional(),
    indicator: z.enum(["info", "warning", "critical"]),
    source: z.strictObject({ label: text, url: z.url().optional(), icon: z.url().optional(), topic: CodingSchema.optional() }),
    suggestions: z.array(SuggestionSchema).min(1).optional(),
    selectionBehavior: z.enum(["at-most-one", "any"]).optional(),
    overrideReasons: z.array(CodingSchema.extend({ display: text })).min(1).optional(),
    links: z.array(LinkSchema).min(1).optional(),
  })
  .refine((c) => c.suggestions === undefined || c.selectionBehavior !== undefined, "suggestions need selectionBehavior");

export const HookResponseSchema = z.strictObject({
  cards: z.array(CardSchema),
  systemActions: z.array(ActionSchema).min(1).optional(),
});

export const DiscoverySchema = z.strictObject({
  services: z
    .array(
      z.strictObject({
        hook: text,
        id: text,
        title: text.optional(),
        description: text,
        prefetch: z.record(text, text).optional(),
        usageRequirements: text.optional(),
      }),
    )
    .min(1),
});

export const OperationOutcomeSchema = z.strictObject({
  resourceType: z.literal("OperationOutcome"),
  issue: z.array(z.strictObject({ severity: z.enum(["fatal", "error", "warning", "information"]), code: text, diagnostics: text.optional() })).min(1),
});

/** Paths of null, "" or [] values anywhere below `value` (the top-level cards: [] is allowed). */
export function emptyValues(value: unknown, path = "$"): string[] {
  if (value === null || value === "") return [path];
  if (Array.isArray(value)) {
    if (value.length === 0 && path !== "$.cards") return [path];
    return value.flatMap((v, i) => emptyValues(v, `${path}[${i}]`));
  }
  if (typeof value === "object") return Object.entries(value).flatMap(([k, v]) => emptyValues(v, `${path}.${k}`));
  return [];
}

/** The schema a response to `method path` with `status` must satisfy; undefined when none. */
export function schemaFor(method: string, path: string, status: number): z.ZodType | undefined {
  if (status >= 400) return OperationOutcomeSchema;
  const p = path.split("?")[0]!.replace(/\/+$/, "");
  if (method === "GET" && p === "/cds-services") return DiscoverySchema;
  if (method === "POST" && /^\/cds-services\/[^/]+\/feedback$/.test(p)) return z.strictObject({});
  if (method === "POST" && (/^\/cds-services\/[^/]+$/.test(p) || p === "/bench/floor")) return HookResponseSchema;
  return undefined;
}

/** Throws with every problem found in a response. */
export function assertCdsResponse(method: string, path: string, status: number, body: unknown): void {
  const schema = schemaFor(method, path, status);
  if (!schema) return;
  const problems: string[] = [];
  const parsed = schema.safeParse(body);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  if (status < 400) problems.push(...emptyValues(body).map((p) => `${p} is null, "" or []`));
  if (problems.length > 0) {
    throw new Error(`${method} ${path} -> ${status}: response breaks CDS Hooks 2.0:\n${problems.join("\n")}\n${JSON.stringify(body).slice(0, 2000)}`);
  }
}
