import { describe, expect, it } from "vitest";
import { packLines, transferables, unpackLines } from "../../../population/job/packed-lines.ts";

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

  it("passes lines read into shared memory by place, copying only the others", () => {
    const chunk = Buffer.from(new SharedArrayBuffer(64));
    chunk.write('{"a":1}\n{"b":"é"}\r\n');
    const at = (text: string) => chunk.indexOf(text);
    const view = (text: string, n: number) => ({ bytes: chunk.subarray(at(text), at(text) + Buffer.byteLength(text)), file: "/d/x.ndjson", line: n });
    const groups = [
      { patientId: "p1", lines: [view('{"a":1}', 1), line("{}", "/d/y.ndjson", 1), view('{"b":"é"}', 2)] },
      { patientId: "p2", lines: [line('{"c":3}', "/d/y.ndjson", 2), view('{"a":1}', 1)] },
    ];
    const packed = packLines(groups);
    const texts = unpackLines(packed).map((g) => g.lines.map((l) => new TextDecoder().decode(l.bytes)));
    expect(texts).toEqual([['{"a":1}', "{}", '{"b":"é"}'], ['{"c":3}', '{"a":1}']]);
    expect(packed.buffers).toHaveLength(2);
    expect(packed.buffers[0]).toBe(chunk.buffer);
    expect(new TextDecoder().decode(new Uint8Array(packed.buffers[1]!))).toBe('{}{"c":3}');
    // Only the copied lines' buffer is transferred; the shared one is shared.
    expect(transferables(packed)).toContain(packed.buffers[1]);
    expect(transferables(packed)).not.toContain(chunk.buffer);
  });
});
