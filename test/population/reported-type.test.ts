/** How a resource's type is named in counts and reasons (population/reported-type.ts). */
import { describe, expect, it } from "vitest";
import { reportedType, UNRECOGNISED_TYPE } from "../../population/reported-type.ts";

describe("reportedType", () => {
  it("names FHIR R4's resource types as they are", () => {
    for (const type of ["Patient", "Condition", "MedicationStatement", "Procedure", "Organization", "Bundle", "VisionPrescription"]) expect(reportedType(type)).toBe(type);
  });

  it("counts any other text under one name, without it: identifiers, a name of a type's shape, another case, an R5 type", () => {
    for (const type of ["MRN-9876543 Jane Doe", "Doe^Jane", "Smith", "JaneDoe", "condition", "Patient ", "Transport", ""]) expect(reportedType(type)).toBe(UNRECOGNISED_TYPE);
    expect(UNRECOGNISED_TYPE).toBe("unrecognised resourceType");
  });
});
