import { describe, expect, it } from "vitest";
import { civilFromDay, completedYears, dayFromCivil, dayToIsoDate, parseCalendarDay, parseFhirDay, parseFhirLastDay } from "../../shared/fhir-dates.ts";

/** A day parser's answer as an ISO date, for readable assertions. */
const isoOf =
  (parse: (value: unknown) => number | null) =>
  (value: string): string | null => {
    const day = parse(value);
    return day === null ? null : dayToIsoDate(day);
  };
const iso = isoOf(parseFhirDay);

describe("parseFhirDay", () => {
  it("counts days from 1970-01-01", () => {
    expect(parseFhirDay("1970-01-01")).toBe(0);
    expect(parseFhirDay("1970-01-02")).toBe(1);
    expect(parseFhirDay("1969-12-31")).toBe(-1);
    expect(parseFhirDay("2000-03-01")).toBe(11017);
  });

  it("agrees with Date.UTC over four centuries", () => {
    for (let day = -146097; day <= 146097; day += 97) {
      const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
      expect(parseFhirDay(date)).toBe(day);
      expect(dayToIsoDate(day)).toBe(date);
    }
  });

  it("reads partial dates as their first day", () => {
    expect(iso("2019")).toBe("2019-01-01");
    expect(iso("2019-04")).toBe("2019-04-01");
  });

  it("converts dateTimes with offsets to the UTC day", () => {
    expect(iso("2019-04-01T23:30:00-05:00")).toBe("2019-04-02");
    expect(iso("2019-04-01T00:30:00+02:00")).toBe("2019-03-31");
    expect(iso("2019-04-01T00:00:00Z")).toBe("2019-04-01");
    expect(iso("2019-04-01T23:59:59.999Z")).toBe("2019-04-01");
    expect(iso("2019-12-31T22:00:00-03:00")).toBe("2020-01-01");
    expect(iso("2020-03-01T01:00:00+05:30")).toBe("2020-02-29");
    expect(iso("2019-04-01T12:00")).toBe("2019-04-01");
    expect(iso("2019-04-01T23:00:00")).toBe("2019-04-01");
    expect(iso("2019-04-01T20:00:00.123456-05:30")).toBe("2019-04-02");
  });

  it("accepts offsets up to +-14:00 and rejects any beyond", () => {
    expect(iso("2019-04-01T10:00:00+14:00")).toBe("2019-03-31");
    expect(iso("2019-04-01T10:00:00-14:00")).toBe("2019-04-02");
    for (const bad of ["2019-04-01T10:00:00+14:30", "2019-04-01T10:00:00-14:01", "2019-04-01T10:00:00+14:59"]) {
      expect(parseFhirDay(bad), bad).toBeNull();
    }
  });

  it("accepts a leap second, on the UTC day of its offset", () => {
    expect(iso("2016-12-31T23:59:60Z")).toBe("2016-12-31");
    expect(iso("2016-12-31T23:59:60.5Z")).toBe("2016-12-31");
    expect(iso("2016-12-31T18:59:60-05:00")).toBe("2016-12-31");
    expect(iso("2016-12-31T23:59:60-05:00")).toBe("2017-01-01");
    expect(parseFhirDay("2016-12-31T23:59:61Z")).toBeNull();
  });

  it("rejects invalid dates", () => {
    for (const bad of ["", "2019-13", "2019-02-29", "2019-04-31", "19-04-01", "2019/04/01", "2019-04-01T25:00:00Z", "2019-04-01T10:00:00+15:00", "2019-04-01T10:61:00Z", "yesterday", "2019-04-01T10:00:00.Z", "2019-04-01T10:00:00+0500", "2019-04-01T", "2019-4-1", "2019-04-01T10:00:00ZZ", "2019-04-01 10:00:00", "２０１９"]) {
      expect(parseFhirDay(bad), bad).toBeNull();
    }
    expect(parseFhirDay(20190401)).toBeNull();
    expect(parseFhirDay(undefined)).toBeNull();
    expect(parseFhirDay(null)).toBeNull();
    expect(parseFhirDay("2020-02-29")).toBe(dayFromCivil(2020, 2, 29));
  });
});

describe("civil dates", () => {
  it("round-trips day numbers", () => {
    expect(civilFromDay(dayFromCivil(1600, 2, 29))).toEqual({ year: 1600, month: 2, day: 29 });
    expect(dayToIsoDate(dayFromCivil(987, 7, 4))).toBe("0987-07-04");
  });

  it("counts completed years with the birthday rule", () => {
    const day = (s: string) => parseFhirDay(s) as number;
    expect(completedYears(day("1960-06-15"), day("2020-06-14"))).toBe(59);
    expect(completedYears(day("1960-06-15"), day("2020-06-15"))).toBe(60);
    expect(completedYears(day("2000-02-29"), day("2001-02-28"))).toBe(0);
    expect(completedYears(day("2000-02-29"), day("2001-03-01"))).toBe(1);
    expect(completedYears(day("2020-06-01"), day("2020-01-01"))).toBe(-1);
  });
});

describe("parseFhirLastDay", () => {
  const last = isoOf(parseFhirLastDay);

  it("reads partial dates as the last day of their period", () => {
    expect(last("2019-11")).toBe("2019-11-30");
    expect(last("2020-02")).toBe("2020-02-29");
    expect(last("2019")).toBe("2019-12-31");
  });

  it("reads full dates and dateTimes as parseFhirDay does, and rejects what it rejects", () => {
    expect(last("2019-11-05")).toBe("2019-11-05");
    expect(last("2019-04-01T23:30:00-05:00")).toBe("2019-04-02");
    expect(parseFhirLastDay("2019-13")).toBeNull();
    expect(parseFhirLastDay(2019)).toBeNull();
  });
});

describe("parseCalendarDay", () => {
  it("gives the UTC day number of a full calendar date (values worked out by hand)", () => {
    expect(parseCalendarDay("1970-01-01")).toBe(0);
    expect(parseCalendarDay("1969-12-31")).toBe(-1);
    // 2024-01-01: 54 years after 1970 with 13 leap days (1972..2020) = 54 * 365 + 13.
    expect(parseCalendarDay("2024-01-01")).toBe(19723);
    // + 31 (January) + 28 = 29 February of the leap year 2024.
    expect(parseCalendarDay("2024-02-29")).toBe(19782);
    expect(parseCalendarDay("2024-03-01")).toBe(19783);
    // 2025-01-01 = 19723 + 366; 2025-12-31 = 20089 + 364.
    expect(parseCalendarDay("2025-01-01")).toBe(20089);
    expect(parseCalendarDay("2025-12-31")).toBe(20453);
    // 2023-01-01 = 19723 - 365; 1 March 2023 = + 31 + 28.
    expect(parseCalendarDay("2023-03-01")).toBe(19417);
  });

  it("refuses days that do not exist", () => {
    for (const value of ["2023-02-29", "2025-02-30", "2025-13-01", "2025-00-10", "2025-01-00", "2025-01-32", "2025-04-31", "1900-02-29"]) {
      expect(parseCalendarDay(value), value).toBeNull();
    }
  });

  it("refuses anything not written exactly YYYY-MM-DD", () => {
    const refused = [
      "2025",
      "2025-01",
      "2025-1-01",
      "2025-01-1",
      "25-01-01",
      "2025-01-01T00:00:00Z",
      "2025-01-01T00:00",
      "2025/01/01",
      "2025-01-01 ",
      " 2025-01-01",
      "2025-01-01\n",
      "+025-01-01",
      "２０２５-01-01",
      "",
    ];
    for (const value of refused) expect(parseCalendarDay(value), JSON.stringify(value)).toBeNull();
  });

  it("refuses non-strings", () => {
    for (const value of [20250101, null, undefined, true, new Date(Date.UTC(2025, 0, 1)), ["2025-01-01"], { date: "2025-01-01" }]) {
      expect(parseCalendarDay(value), String(value)).toBeNull();
    }
  });

  it("agrees with parseFhirDay on every full date it accepts", () => {
    for (let day = -146097; day <= 146097; day += 97) {
      const date = dayToIsoDate(day);
      expect(parseCalendarDay(date)).toBe(day);
      expect(parseCalendarDay(date)).toBe(parseFhirDay(date));
    }
  });
});
