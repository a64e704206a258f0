/** The high-risk Group: valid FHIR R4 JSON whatever the list holds, named by what it selects. */
import { describe, expect, it } from "vitest";
import { validateR4 } from "../../support/fhir-r4-validator.ts";
import { runIdentity } from "../run-identity.ts";
import { highRiskGroup } from "../../../population/job/outputs/high-risk-group.ts";

const IDENTITY = runIdentity({ source: "/data/export", indexDate: "2026-01-15" });

describe("highRiskGroup", () => {
  it("leaves member out when nobody is listed: FHIR JSON has no empty arrays", () => {
    const group = highRiskGroup([], IDENTITY, { threshold: 0.05, top: null });
    expect(() => validateR4(group)).not.toThrow();
    expect("member" in group).toBe(false);
    expect(group.quantity).toBe(0);
  });

  it("is named by the list it holds: a top-N list below the high tier does not say 'high risk'", () => {
    const group = highRiskGroup(["a", "b"], IDENTITY, { threshold: 0.004, top: 5 });
    expect(group.name).toBe("Patella: the 5 riskiest patients with risk at or above 0.40% for a 1-year knee osteoarthritis diagnosis from 2026-01-15 (deep-koa 1.3.0, feature spec koa-features/3)");
    expect(group.member?.map((m) => m.entity.reference)).toEqual(["Patient/a", "Patient/b"]);
  });
});

describe("the Group's id", () => {
  // The review: a trial run at --threshold 0.02 --top 30 wrote the id of the site's high-risk
  // Group, which --post-group would have replaced.
  it("is the same for a run again with the same selection, and another for another --threshold or --top", () => {
    const id = (threshold: number, top: number | null) => highRiskGroup([], IDENTITY, { threshold, top }).id;
    // The default list keeps the id it always had, so a nightly run still updates its Group.
    expect(id(0.05, null)).toBe("patella-koa-high-risk-2026-01-15");
    expect(id(0.02, 30)).toBe("patella-koa-high-risk-2026-01-15-from-0.02-top-30");
    expect(id(0.05, 30)).toBe("patella-koa-high-risk-2026-01-15-top-30");
    expect(id(0.02, null)).toBe("patella-koa-high-risk-2026-01-15-from-0.02");
    expect(id(0.02, 30)).toBe(id(0.02, 30));
    expect(new Set([id(0.05, null), id(0.02, 30), id(0.05, 30), id(0.02, null), id(0.02, 31), id(0.021, 30)]).size).toBe(6);
  });

  it("stays a valid FHIR id (at most 64 characters) for a threshold written with many digits", () => {
    const long = highRiskGroup([], IDENTITY, { threshold: 0.30000000000000004, top: 123456789012 });
    // 32 characters of prefix and date, a hyphen, 16 hex digits.
    expect(long.id).toMatch(/^patella-koa-high-risk-2026-01-15-[0-9a-f]{16}$/);
    expect(() => validateR4(long)).not.toThrow();
    expect(highRiskGroup([], IDENTITY, { threshold: 0.30000000000000004, top: 123456789013 }).id).not.toBe(long.id);
  });
});
