/**
 * The display text of codes found in a record, for reports that list codes by "system|code"
 * (the feature builder's unmapped-code keys). Only the codes asked for are kept, so the table
 * grows with the number of distinct codes, not with the population.
 */
import type { Resource } from "fhir/r4";

/** Adds to `displays` the first display seen for each wanted "system|code" in the resources. */
export function collectDisplays(resources: readonly Resource[], wanted: ReadonlySet<string>, displays: Map<string, string>): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const object = value as Record<string, unknown>;
    if (typeof object["code"] === "string" && typeof object["display"] === "string") {
      const key = `${typeof object["system"] === "string" ? object["system"] : ""}|${object["code"]}`;
      if (wanted.has(key) && !displays.has(key)) displays.set(key, object["display"]);
    }
    for (const child of Object.values(object)) if (typeof child === "object") visit(child);
  };
  for (const resource of resources) visit(resource);
}
