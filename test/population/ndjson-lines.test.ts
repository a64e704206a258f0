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
  });
});
