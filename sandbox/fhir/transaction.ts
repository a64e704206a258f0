/**
 * FHIR R4 `transaction` (a Bundle POSTed at the base), all or nothing: every entry is checked
 * first (method and URL, served type, the token's scopes, conditional create and update,
 * references, FHIR structure) and only when all pass are they stored, together. POST entries get
 * ids chosen by the server, and the urn:uuid fullUrls naming them become `Type/id` everywhere in
 * the Bundle; conditional references become the `Type/id` they find (transaction-references.ts).
 * Supported: POST (with `ifNoneExist`), PUT `Type/id` (update, or create with the client's id)
 * and PUT `Type?criteria` (conditional update). Anything else refuses the whole Bundle with an
 * OperationOutcome.
 */
import { randomUUID } from "node:crypto";
import { OperationOutcomeError, validateResource } from "@medplum/core";
import type { Resource as MedplumResource } from "@medplum/fhirtypes";
import type { Bundle, BundleEntry, OperationOutcome, Resource } from "fhir/r4";
import type { AccessClaims } from "../auth/access-token.ts";
import { allows, type Permission } from "../auth/scopes.ts";
import { matchOne } from "./conditional-match.ts";
import { outcome } from "./operation-outcome.ts";
import type { SearchEngine } from "./search-engine.ts";
import { isSupportedType } from "./supported-types.ts";
import { CONDITIONAL_URL, isObject, resolveReferences } from "./transaction-references.ts";
import { Refusal } from "./transaction-refusal.ts";

export type TransactionResult = { status: 200; resource: Bundle } | { status: 400 | 403 | 412; resource: OperationOutcome };

interface PlannedEntry {
  type: string;
  id: string;
  /** Created, updated, or an existing resource that matched `ifNoneExist` (nothing written). */
  action: "created" | "updated" | "matched";
  resource: Resource;
}

const PUT_URL = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

function requirePermission(claims: AccessClaims, type: string, permission: Permission, where: string): void {
  const verb = permission === "c" ? "create" : "update";
  if (!allows(claims.scopes, type, permission)) throw new Refusal(403, "forbidden", `${where}: granted scopes do not allow ${verb} of ${type}`);
}

/**
 * The id a PUT writes: the url's for `Type/id`; for a conditional update `Type?criteria`, the
 * one resource the criteria match, or when none does the resource's own id (update as create)
 * or else a new one (R4 http.html#cond-update).
 */
async function putId(engine: SearchEngine, type: string, url: unknown, resource: Resource, where: string): Promise<string> {
  const wrongUrl = () => new Refusal(400, "invalid", `${where}: PUT url must be "${type}/id" or "${type}?criteria"`);
  if (typeof url !== "string") throw wrongUrl();
  const direct = PUT_URL.exec(url);
  if (direct !== null && direct[1] === type) return direct[2]!;
  const conditional = CONDITIONAL_URL.exec(url);
  if (conditional === null || conditional[1] !== type) throw wrongUrl();
  return (await matchOne(engine, type, conditional[2]!, `${where}: PUT url "${url}"`)) ?? resource.id ?? randomUUID();
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
    const existing = typeof ifNoneExist === "string" ? await matchOne(engine, type, ifNoneExist, `${where}: ifNoneExist "${ifNoneExist}"`) : null;
    if (existing !== null) return { type, id: existing, action: "matched", resource };
    return { type, id: randomUUID(), action: "created", resource };
  }
  if (method === "PUT") {
    const id = await putId(engine, type, url, resource, where);
    if (resource.id !== undefined && resource.id !== id) throw new Refusal(400, "invalid", `${where}: resource id ${resource.id} differs from the url's ${id}`);
    const exists = (await engine.read(type, id)).status === 200;
    requirePermission(claims, type, exists ? "u" : "c", where);
    return { type, id, action: exists ? "updated" : "created", resource };
  }
  throw new Refusal(400, "not-supported", `${where}: only POST and PUT are supported in a transaction, not ${String(method)}`);
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

/** The warnings of an entry whose conditional references to directory resources matched nothing. */
function keptReferencesOutcome(kept: readonly string[]): OperationOutcome {
  return {
    resourceType: "OperationOutcome",
    issue: kept.map((reference) => ({
      severity: "warning",
      code: "not-found",
      diagnostics: `reference "${reference}" matches nothing stored here and was kept as written`,
    })),
  };
}

function responseEntry(fhirBaseUrl: string, plan: PlannedEntry, stored: Resource | undefined, kept: readonly string[]): BundleEntry {
  const versionId = stored?.meta?.versionId;
  return {
    fullUrl: `${fhirBaseUrl}/${plan.type}/${plan.id}`,
    response: {
      status: plan.action === "created" ? "201 Created" : "200 OK",
      location: `${plan.type}/${plan.id}${versionId === undefined ? "" : `/_history/${versionId}`}`,
      ...(versionId !== undefined && { etag: `W/"${versionId}"` }),
      ...(stored?.meta?.lastUpdated !== undefined && { lastModified: stored.meta.lastUpdated }),
      ...(kept.length > 0 && { outcome: keptReferencesOutcome(kept) }),
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
  const toWrite = [...plans.entries()].filter(([, plan]) => plan.action !== "matched");
  const resolved = await resolveReferences(
    toWrite.map(([index, plan]) => ({ resource: plan.resource, where: label(index) })),
    targets,
    engine,
  );
  const lastUpdated = new Date().toISOString();
  const written: Resource[] = [];
  const storedByKey = new Map<string, { stored: Resource; kept: string[] }>();
  for (const [position, [index, plan]] of toWrite.entries()) {
    const { resource, kept } = resolved[position]!;
    const stored = { ...resource, id: plan.id, meta: { ...resource.meta, versionId: randomUUID(), lastUpdated } } as Resource;
    checkStructure(stored, label(index));
    written.push(stored);
    storedByKey.set(`${plan.type}/${plan.id}`, { stored, kept });
  }
  await engine.store(written);
  const matchedStored = async (plan: PlannedEntry) => {
    const read = await engine.read(plan.type, plan.id);
    return read.status === 200 ? read.resource : undefined;
  };
  const response: BundleEntry[] = [];
  for (const plan of plans) {
    const own = plan.action === "matched" ? undefined : storedByKey.get(`${plan.type}/${plan.id}`);
    response.push(responseEntry(fhirBaseUrl, plan, own?.stored ?? (await matchedStored(plan)), own?.kept ?? []));
  }
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
