/** The imaging list's Group: valid FHIR R4 JSON, one id per index date whatever the run's --threshold or --top. */
import { describe, expect, it } from "vitest";
import { validateR4 } from "../../support/fhir-r4-validator.ts";
import { imagingGroup } from "../../../population/job/outputs/imaging-group.ts";
import { runIdentity } from "../run-identity.ts";

const IDENTITY = runIdentity({ source: "/data/export", indexDate: "2026-01-15" });

describe("imagingGroup", () => {
  it("holds the listed patients in order, as a valid Group named for what they have", () => {
    const group = imagingGroup(["b", "a"], IDENTITY);
    expect(() => validateR4(group)).not.toThrow();
    expect(group.id).toBe("patella-koa-imaging-kl2-2026-01-15");
    expect(group.member?.map((m) => m.entity.reference)).toEqual(["Patient/b", "Patient/a"]);
    expect(group.quantity).toBe(2);
    expect(group.name).toBe(
      "Patella: knees the imaging AI graded Kellgren-Lawrence 2 or more, without a knee osteoarthritis diagnosis, from 2026-01-15 (deep-koa 1.3.0, feature spec koa-features/3)",
    );
  });

  it("leaves member out when nobody is listed: FHIR JSON has no empty arrays", () => {
    const group = imagingGroup([], IDENTITY);
    expect(() => validateR4(group)).not.toThrow();
    expect([group.quantity, "member" in group]).toEqual([0, false]);
  });
});
