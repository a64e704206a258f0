import { describe, expect, it } from "vitest";
import { packLines, unpackLines } from "../../../population/job/packed-lines.ts";

const line = (text: string, file: string, n: number) => ({ bytes: Buffer.from(text), file, line: n });

describe("packed lines", () => {
  it("give back every patient's lines, bytes, files and line numbers", () => {
    const groups = [
      { patientId: "p1", lines: [line('{"resourceType":"Patient","id":"p1","name":"é"}', "/d/Patient.ndjson", 1), line("{}", "/d/Condition.ndjson", 7)] },
      { patientId: "p2", lines: [] },
      { patientId: "p3", lines: [line('{"a":"ü\\n"}', "/d/Condition.ndjson", 9)] },
    ];
    const packed = packLines(groups);
    expect(packed.files).toEqual(["/d/Patient.ndjson", "/d/Condition.ndjson"]);
    const back = unpackLines(packed).map((g) => ({ patientId: g.patientId, lines: g.lines.map((l) => ({ text: Buffer.from(l.bytes).toString(), file: l.file, line: l.line })) }));
    expect(back).toEqual(groups.map((g) => ({ patientId: g.patientId, lines: g.lines.map((l) => ({ text: l.bytes.toString(), file: l.file, line: l.line })) })));
    expect(unpackLines(packLines([]))).toEqual([]);
  });

  it("copies lines that follow each other in one read buffer together, and gives each back exactly", () => {
    const chunk = Buffer.from('{"a":1}\n{"b":2}\r\n{"c":3}\n\n{"d":4}\n{"e":5}\n');
    const at = (text: string) => chunk.indexOf(text);
    const view = (text: string, n: number) => ({ bytes: chunk.subarray(at(text), at(text) + text.length), file: "/d/x.ndjson", line: n });
    const groups = [
      { patientId: "p1", lines: [view('{"a":1}', 1), view('{"b":2}', 2), view('{"c":3}', 3), view('{"d":4}', 5), line("{}", "/d/y.ndjson", 1)] },
      { patientId: "p2", lines: [view('{"e":5}', 6), view('{"a":1}', 1)] },
    ];
    const packed = packLines(groups);
    const texts = unpackLines(packed).map((g) => g.lines.map((l) => Buffer.from(l.bytes).toString()));
    expect(texts).toEqual([['{"a":1}', '{"b":2}', '{"c":3}', '{"d":4}', "{}"], ['{"e":5}', '{"a":1}']]);
    // a to d in one copy with what separates them (at most two bytes); e, and a again, on their own.
    expect(Buffer.from(packed.bytes).toString()).toBe('{"a":1}\n{"b":2}\r\n{"c":3}\n\n{"d":4}{}{"e":5}{"a":1}');
  });
});
