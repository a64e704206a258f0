/**
 * FHIR R4 `transaction` (a Bundle POSTed at the base), all or nothing: every entry is checked
 * first (method and URL, served type, the token's scopes, conditional create, urn:uuid
 * references, FHIR structure) and only when all pass are they stored, together. POST entries get
 * ids chosen by the server, and the urn:uuid fullUrls naming them become `Type/id` everywhere in
 * the Bundle. Supported: POST (with `ifNoneExist`) and PUT `Type/id` (update, or create with
 * the client's id). Anything else refuses the whole Bundle with an OperationOutcome.
 */
import { randomUUID } from "node:crypto";
import { OperationOutcomeError, validateResource } from "@medplum/core";
import type { Resource as MedplumResource } from "@medplum/fhirtypes";
import type { Bundle, BundleEntry, OperationOutcome, Resource } from "fhir/r4";
import type { AccessClaims } from "../auth/access-token.ts";
import { allows, type Permission } from "../auth/scopes.ts";
import type { Query } from "./access-control.ts";
import { outcome, type SandboxIssueCode } from "./operation-outcome.ts";
import type { SearchEngine } from "./search-engine.ts";
import { isSupportedType } from "./supported-types.ts";

export type TransactionResult = { status: 200; resource: Bundle } | { status: 400 | 403 | 412; resource: OperationOutcome };

/** Why the whole transaction is refused; nothing has been written. */
class Refusal extends Error {
  constructor(
    readonly status: 400 | 403 | 412,
    readonly code: SandboxIssueCode,
    message: string,
  ) {
    super(message);
  }
}

interface PlannedEntry {
  type: string;
  id: string;
  /** Created, updated, or an existing resource that matched `ifNoneExist` (nothing written). */
  action: "created" | "updated" | "matched";
  resource: Resource;
}

const PUT_URL = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requirePermission(claims: AccessClaims, type: string, permission: Permission, where: string): void {
  const verb = permission === "c" ? "create" : "update";
  if (!allows(claims.scopes, type, permission)) throw new Refusal(403, "forbidden", `${where}: granted scopes do not allow ${verb} of ${type}`);
}

/** The one existing resource that a conditional create names, or null when there is none. */
async function matchIfNoneExist(engine: SearchEngine, type: string, criteria: string, where: string): Promise<string | null> {
  const query: Query = Object.fromEntries(new URLSearchParams(criteria));
  const result = await engine.search(type, { ...query, _count: "2" });
  if (result.status !== 200) throw new Refusal(400, "invalid", `${where}: ifNoneExist "${criteria}": ${result.resource.issue?.[0]?.diagnostics ?? "not a valid search"}`);
  const matches = ((result.resource as Bundle).entry ?? []).filter((e) => e.search?.mode !== "include");
  if (matches.length > 1) throw new Refusal(412, "invalid", `${where}: ifNoneExist "${criteria}" matches more than one ${type}`);
  return matches[0]?.resource?.id ?? null;
}

async function planEntry(entry: unknown, where: string, engine: SearchEngine, claims: AccessClaims): Promise<PlannedEntry> {
  if (!isObject(entry) || !isObject(entry.resource) || !isObject(entry.request))
    throw new Refusal(400, "invalid", `${where}: needs a resource and a request`);
  const resource = entry.resource as unknown as Resource;
  const type = resource.resourceType;
  if (typeof type !== "string" || !isSupportedType(type)) throw new Refusal(400, "not-supported", `${where}: resource type ${String(type)} is not served here`);
  const { method, url, ifNoneExist } = entry.request as { method?: unknown; url?: unknown; ifNoneExist?: unknown };
  if (method === "POST") {
    if (url !== type) throw new Refusal(400, "invalid", `${where}: POST url must be "${type}"`);
    requirePermission(claims, type, "c", where);
    const existing = typeof ifNoneExist === "string" ? await matchIfNoneExist(engine, type, ifNoneExist, where) : null;
    if (existing !== null) return { type, id: existing, action: "matched", resource };
    return { type, id: randomUUID(), action: "created", resource };
  }
  if (method === "PUT") {
    const m = typeof url === "string" ? PUT_URL.exec(url) : null;
    if (!m || m[1] !== type) throw new Refusal(400, "invalid", `${where}: PUT url must be "${type}/id"`);
    const id = m[2]!;
    if (resource.id !== undefined && resource.id !== id) throw new Refusal(400, "invalid", `${where}: resource id ${resource.id} differs from the url's ${id}`);
    const exists = (await engine.read(type, id)).status === 200;
    requirePermission(claims, type, exists ? "u" : "c", where);
    return { type, id, action: exists ? "updated" : "created", resource };
  }
  throw new Refusal(400, "not-supported", `${where}: only POST and PUT are supported in a transaction, not ${String(method)}`);
}

/** Replaces every `reference` that is a urn:uuid fullUrl of the Bundle by the entry's `Type/id`. */
function resolveReferences(value: unknown, targets: ReadonlyMap<string, string>, where: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, targets, where));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === "reference" && typeof v === "string" && v.startsWith("urn:uuid:")) {
      const target = targets.get(v);
      if (target === undefined) throw new Refusal(400, "invalid", `${where}: reference ${v} names no entry of the Bundle`);
      out[key] = target;
    } else {
      out[key] = resolveReferences(v, targets, where);
    }
  }
  return out;
}

function checkStructure(resource: Resource, where: string): void {
  try {
    validateResource(resource as MedplumResource);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    const problems = (error.outcome.issue ?? []).map((i) => `${i.details?.text ?? i.code}${i.expression?.[0] ? ` (${i.expression[0]})` : ""}`);
    throw new Refusal(400, "invalid", `${where}: ${problems.join("; ")}`);
  }
}

function responseEntry(fhirBaseUrl: string, plan: PlannedEntry, stored: Resource | undefined): BundleEntry {
  const versionId = stored?.meta?.versionId;
  return {
    fullUrl: `${fhirBaseUrl}/${plan.type}/${plan.id}`,
    response: {
      status: plan.action === "created" ? "201 Created" : "200 OK",
      location: `${plan.type}/${plan.id}${versionId === undefined ? "" : `/_history/${versionId}`}`,
      ...(versionId !== undefined && { etag: `W/"${versionId}"` }),
      ...(stored?.meta?.lastUpdated !== undefined && { lastModified: stored.meta.lastUpdated }),
    },
  };
}

/** How messages name an entry: its index, or nothing for a single PUT (sent as one entry). */
type EntryLabel = (index: number) => string;
const byIndex: EntryLabel = (index) => `entry ${index}`;

async function run(body: unknown, engine: SearchEngine, claims: AccessClaims, fhirBaseUrl: string, label: EntryLabel): Promise<Bundle> {
  if (!isObject(body) || body.resourceType !== "Bundle") throw new Refusal(400, "invalid", "POST at the base takes a Bundle");
  if (body.type !== "transaction") throw new Refusal(400, "not-supported", `Bundle type ${String(body.type)} is not supported here; send a transaction`);
  const entries: unknown[] = Array.isArray(body.entry) ? body.entry : [];
  const plans: PlannedEntry[] = [];
  const targets = new Map<string, string>();
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const plan = await planEntry(entry, label(index), engine, claims);
    const key = `${plan.type}/${plan.id}`;
    if (plan.action !== "matched" && seen.has(key)) throw new Refusal(400, "invalid", `${label(index)}: ${key} is written by another entry too`);
    seen.add(key);
    const fullUrl = (entry as { fullUrl?: unknown }).fullUrl;
    if (typeof fullUrl === "string" && fullUrl.startsWith("urn:uuid:")) {
      if (targets.has(fullUrl)) throw new Refusal(400, "invalid", `${label(index)}: fullUrl ${fullUrl} is used twice`);
      targets.set(fullUrl, key);
    }
    plans.push(plan);
  }
  const lastUpdated = new Date().toISOString();
  const written: Resource[] = [];
  const storedByKey = new Map<string, Resource>();
  for (const [index, plan] of plans.entries()) {
    if (plan.action === "matched") continue;
    const resolved = resolveReferences(plan.resource, targets, label(index)) as Resource;
    const stored = { ...resolved, id: plan.id, meta: { ...resolved.meta, versionId: randomUUID(), lastUpdated } } as Resource;
    checkStructure(stored, label(index));
    written.push(stored);
    storedByKey.set(`${plan.type}/${plan.id}`, stored);
  }
  await engine.store(written);
  const matchedStored = async (plan: PlannedEntry) => {
    const read = await engine.read(plan.type, plan.id);
    return read.status === 200 ? read.resource : undefined;
  };
  const response: BundleEntry[] = [];
  for (const plan of plans) response.push(responseEntry(fhirBaseUrl, plan, storedByKey.get(`${plan.type}/${plan.id}`) ?? (await matchedStored(plan))));
  return { resourceType: "Bundle", type: "transaction-response", entry: response };
}

export interface TransactionRunner {
  /** A transaction Bundle POSTed at the base. */
  transaction(body: unknown, claims: AccessClaims): Promise<TransactionResult>;
  /** `PUT Type/id` (update, or create with the client's id): a transaction of that one entry. */
  put(type: string, id: string, resource: unknown, claims: AccessClaims): Promise<TransactionResult>;
}

/**
 * Runs writes one at a time, so that a conditional create and the write that follows it
 * cannot interleave with another transaction's.
 */
export function createTransactionRunner(engine: SearchEngine, fhirBaseUrl: string): TransactionRunner {
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (body: unknown, claims: AccessClaims, label: EntryLabel): Promise<TransactionResult> => {
    const next = queue.then(async (): Promise<TransactionResult> => {
      try {
        return { status: 200, resource: await run(body, engine, claims, fhirBaseUrl, label) };
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        return { status: error.status, resource: outcome(error.code, `${error.message}; nothing was written`) };
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    transaction: (body, claims) => enqueue(body, claims, byIndex),
    put: (type, id, resource, claims) =>
      enqueue({ resourceType: "Bundle", type: "transaction", entry: [{ resource, request: { method: "PUT", url: `${type}/${id}` } }] }, claims, () => `PUT ${type}/${id}`),
  };
}
