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
});
