/**
 * high-risk.csv's cells: RFC 4180 quoting, and the formula-injection guard of OWASP's CSV
 * Injection page, which must not change an identifier that is a plain signed number (the review:
 * MRN "-42" written "'-42", which pandas and R read with the apostrophe).
 */
import { describe, expect, it } from "vitest";
import { csvCell } from "../../../population/job/outputs/high-risk-csv.ts";

describe("csvCell", () => {
  it("leaves a plain number as it is, signed or not", () => {
    for (const value of ["-42", "+42", "0012345", "-0.5", "+.5", "-1E5", "1e-7", "42"]) expect(csvCell(value)).toBe(value);
  });

  it("guards what a spreadsheet would run as a formula: =, @, a tab, a carriage return, and + or - before anything but a number", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("+A1")).toBe("'+A1");
    expect(csvCell("-")).toBe("'-");
    expect(csvCell("-42 ")).toBe("'-42 ");
    // A carriage return also makes the cell quoted (RFC 4180).
    expect(csvCell("\r=cmd")).toBe("\"'\r=cmd\"");
    expect(csvCell('-cmd|"/c calc"!A0')).toBe('"\'-cmd|""/c calc""!A0"');
  });

  it("quotes a cell with a comma, a quote or a line break, and leaves any other alone", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("José Müller-Ørsted")).toBe("José Müller-Ørsted");
    expect(csvCell("MRN-42")).toBe("MRN-42");
  });
});

describe("high-risk.csv's driver columns", () => {
  it("are named for what they hold: the model's largest drivers, raising or lowering, as the card orders them", async () => {
    const { csvHeader, csvRows } = await import("../../../population/job/outputs/high-risk-csv.ts");
    const { runIdentity } = await import("../run-identity.ts");
    const { scoredPerson } = await import("../scored-person.ts");
    expect(csvHeader(false)).toBe("rank,patient_id,mrn,age_band,sex,risk,tier,index_date,model,driver_1,driver_2,driver_3,data_quality,note");
    // The review's rank 1: a lowering driver among the three on a high-risk row.
    const reasons = ["Knee pain: recorded (raises by 85.2 points)", "Age 75 (compared with 50) (lowers by 3.6 points)"];
    const row = csvRows({ identity: runIdentity(), threshold: 0.05 })(1, scoredPerson("p1", { probability: 0.87, tier: "high", reasons }));
    expect(row).toContain(",Knee pain: recorded (raises by 85.2 points),Age 75 (compared with 50) (lowers by 3.6 points),,");
    expect(row).toContain("driver_1 to driver_3: the model's largest drivers, largest first, raising or lowering the risk (each says which), in percentage points of the 1-year risk");
  });
});
