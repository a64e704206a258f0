/**
 * Search paging. Medplum's engine honours `_count` and `_offset` but returns no links, so the
 * sandbox adds `self`, `next` and `previous` the way a real server does; clients follow `next`.
 */
import type { Bundle } from "fhir/r4";
import type { Query } from "./access-control.ts";

export interface PageSize {
  /** Used when the client sends no `_count`. */
  defaultCount: number;
  /** Larger `_count`s are lowered to this. */
  maxCount: number;
}

function nonNegativeInt(value: string | string[] | undefined): number | undefined {
  if (typeof value !== "string" || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** The query with `_count` and `_offset` made explicit and within bounds. */
export function withPaging(query: Query, size: PageSize): Query {
  const count = Math.min(nonNegativeInt(query._count) ?? size.defaultCount, size.maxCount);
  const offset = nonNegativeInt(query._offset) ?? 0;
  return { ...query, _count: String(count), _offset: String(offset) };
}

export function toSearchParams(query: Query): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return params;
}

function pageUrl(typeUrl: string, query: Query, offset: number): string {
  return `${typeUrl}?${toSearchParams({ ...query, _offset: String(offset) }).toString()}`;
}

/** Adds paging links to a searchset; `query` must have gone through withPaging. */
export function addPagingLinks(bundle: Bundle, typeUrl: string, query: Query): Bundle {
  const count = Number(query._count);
  const offset = Number(query._offset);
  const total = bundle.total ?? 0;
  const link: NonNullable<Bundle["link"]> = [{ relation: "self", url: pageUrl(typeUrl, query, offset) }];
  if (count > 0 && offset + count < total) link.push({ relation: "next", url: pageUrl(typeUrl, query, offset + count) });
  if (offset > 0) link.push({ relation: "previous", url: pageUrl(typeUrl, query, Math.max(0, offset - count)) });
  return { ...bundle, link };
}
