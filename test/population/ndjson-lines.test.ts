import { describe, expect, it } from "vitest";
import { parseNdjsonLine, type BadLinePolicy } from "../../population/ndjson-lines.ts";

const strict: BadLinePolicy = { skipBadLines: false, onSkip: () => undefined };

describe("parseNdjsonLine", () => {
  it("names file and line of a line that is not JSON, without quoting the line", () => {
    // V8 quotes the text around the error ('..."family":Doe}" is not valid JSON'): a patient's name here.
    expect(() => parseNdjsonLine('{"resourceType":"Patient","family":Doe}', "/data/Patient.ndjson", 4, strict)).toThrow(
      /^Patient\.ndjson:4: not valid JSON \(Unexpected token 'D'\); use --skip-bad-lines to count and skip such lines$/,
    );
    expect(() => parseNdjsonLine("Doe", "Patient.ndjson", 5, strict)).toThrow(/^Patient\.ndjson:5: not valid JSON \(Unexpected token 'D'\);/);
    // A long line's quote is cut at its end ('"John Smith"... is not valid JSON') or at both ends.
    expect(() => parseNdjsonLine("John Smith, 1950-01-01, MRN123456", "Patient.ndjson", 6, strict)).toThrow(/^Patient\.ndjson:6: not valid JSON \(Unexpected token 'J'\);/);
    const inTheMiddle = `{"resourceType":"Patient","id":"p1","text":"${"x".repeat(40)}",MRN123456,"more":"${"y".repeat(40)}"}`;
    expect(() => parseNdjsonLine(inTheMiddle, "Patient.ndjson", 7, strict)).toThrow(/^Patient\.ndjson:7: not valid JSON \([^"]*\);/);
    for (const line of ["John Smith, 1950-01-01, MRN123456", inTheMiddle]) {
      expect(() => parseNdjsonLine(line, "Patient.ndjson", 8, strict)).not.toThrow(/Smith|MRN|xxxx|yyyy/);
    }
  });
});
