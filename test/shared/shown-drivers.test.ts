import { describe, expect, it } from "vitest";
import type { DriverGroup, RiskDriver } from "../../shared/inference/explain.ts";
import { effectPoints, shownDrivers, driverWords } from "../../shared/shown-drivers.ts";

const driver = (key: string, effect: number, group: DriverGroup = { kind: "diagnosis", id: "knee_pain" }): RiskDriver => ({
  group,
  key,
  label: key,
  detail: "d",
  effect,
});

describe("effectPoints", () => {
  it("writes an effect in percentage points, unsigned, one decimal", () => {
    expect(effectPoints(0.031)).toBe("3.1");
    expect(effectPoints(-0.004)).toBe("0.4");
    // 0.00049 is 0.049 points: 0.0.
    expect(effectPoints(-0.00049)).toBe("0.0");
  });
});

describe("shownDrivers", () => {
  it("leaves out every effect that prints as 0.0 points, of either sign, and keeps the order", () => {
    const drivers = [
      driver("raises", 0.031),
      driver("hyperlipidemia", -0.00001),
      driver("sex", -0.0000049, { kind: "sex" }),
      driver("zero", 0),
      // 0.051 and -0.06 points print as 0.1: shown.
      driver("small", 0.00051),
      driver("small-lowers", -0.0006),
      driver("just-under", 0.000499),
    ];
    expect(shownDrivers(drivers, { bmiMissing: false }).map((d) => d.key)).toEqual(["raises", "small", "small-lowers"]);
  });

  it("never lists BMI when the BMI is missing, and lists it like any driver when recorded", () => {
    const drivers = [driver("bmi", 0.02, { kind: "bmi" }), driver("age", 0.01, { kind: "age" })];
    expect(shownDrivers(drivers, { bmiMissing: true }).map((d) => d.key)).toEqual(["age"]);
    expect(shownDrivers(drivers, { bmiMissing: false }).map((d) => d.key)).toEqual(["bmi", "age"]);
  });
});

describe("driverWords", () => {
  it("does not say the name twice when the detail starts with it", () => {
    expect(driverWords({ label: "Age", detail: "Age 78 (compared with 50)" })).toEqual({ name: "Age", rest: " 78 (compared with 50)" });
  });

  it("puts any other detail after the name and a colon, a detail that only starts with the name's letters included", () => {
    expect(driverWords({ label: "Knee injury", detail: "2 weeks with a code, most recently 2024-03-01" })).toEqual({
      name: "Knee injury",
      rest: ": 2 weeks with a code, most recently 2024-03-01",
    });
    expect(driverWords({ label: "Age", detail: "Aged 78" })).toEqual({ name: "Age", rest: ": Aged 78" });
  });
});
