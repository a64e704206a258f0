import { describe, expect, it } from "vitest";
import { packLines, transferables, unpackLines } from "../../../population/job/packed-lines.ts";
import { LineColumns } from "../../../population/line-columns.ts";

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
    const back = unpackLines(packed).map((g) => ({ patientId: g.patientId, lines: [...g.lines].map((l) => ({ text: Buffer.from(l.bytes).toString(), file: l.file, line: l.line })) }));
    expect(back).toEqual(groups.map((g) => ({ patientId: g.patientId, lines: [...g.lines].map((l) => ({ text: l.bytes.toString(), file: l.file, line: l.line })) })));
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
    const texts = unpackLines(packed).map((g) => [...g.lines].map((l) => new TextDecoder().decode(l.bytes)));
    expect(texts).toEqual([['{"a":1}', "{}", '{"b":"é"}'], ['{"c":3}', '{"a":1}']]);
    expect(packed.buffers).toHaveLength(2);
    expect(packed.buffers[0]).toBe(chunk.buffer);
    expect(new TextDecoder().decode(new Uint8Array(packed.buffers[1]!))).toBe('{}{"c":3}');
    // Only the copied lines' buffer is transferred; the shared one is shared.
    expect(transferables(packed)).toContain(packed.buffers[1]);
    expect(transferables(packed)).not.toContain(chunk.buffer);
  });

  it("makes each line's object only as the scoring thread reads it, not one object a line for the whole batch (400,000 heart rates were held so on both threads)", () => {
    const chunk = Buffer.from(new SharedArrayBuffer(64));
    chunk.write('{"a":1}\n{"b":2}\n');
    const groups = [{ patientId: "p1", lines: [{ bytes: chunk.subarray(0, 7), file: "/d/x.ndjson", line: 1 }, { bytes: chunk.subarray(8, 15), file: "/d/x.ndjson", line: 2 }] }];
    const [p1] = unpackLines(packLines(groups));
    expect(p1!.lines.length).toBe(2);
    const read = () => [...p1!.lines];
    const [first, second] = read();
    expect([first, second].map((l) => ({ text: Buffer.from(l!.bytes).toString(), line: l!.line }))).toEqual([
      { text: '{"a":1}', line: 1 },
      { text: '{"b":2}', line: 2 },
    ]);
    // Views into the shared chunk, not copies.
    expect(first!.bytes.buffer).toBe(chunk.buffer);
    expect(read()[0]).toEqual(first);
    expect(read()[0]).not.toBe(first);
  });

  it("packs a patient's lines held as columns as it packs them in an array, files and buffers numbered anew for the batch", () => {
    const chunks = [Buffer.from(new SharedArrayBuffer(32)), Buffer.from(new SharedArrayBuffer(32))];
    chunks[0]!.write('{"a":1}\n{"b":2}\n');
    chunks[1]!.write('{"c":3}\n');
    const p1 = [{ bytes: chunks[0]!.subarray(0, 7), file: "/d/x.ndjson", line: 1 }];
    // p2 names the second chunk and the other file first: their numbers in its columns differ from the batch's.
    const p2 = [
      { bytes: chunks[1]!.subarray(0, 7), file: "/d/y.ndjson", line: 4 },
      { bytes: chunks[0]!.subarray(8, 15), file: "/d/x.ndjson", line: 2 },
      { bytes: Buffer.from("{}"), file: "/d/y.ndjson", line: 5 },
    ];
    const columns = new LineColumns();
    for (const line of p2) columns.push(line);
    const text = (packed: ReturnType<typeof packLines>) =>
      unpackLines(packed).map((g) => ({ patientId: g.patientId, lines: [...g.lines].map((l) => `${l.file}:${l.line} ${Buffer.from(l.bytes).toString()}`) }));
    const expected = [
      { patientId: "p1", lines: ["/d/x.ndjson:1 {\"a\":1}"] },
      { patientId: "p2", lines: ["/d/y.ndjson:4 {\"c\":3}", "/d/x.ndjson:2 {\"b\":2}", "/d/y.ndjson:5 {}"] },
    ];
    expect(text(packLines([{ patientId: "p1", lines: p1 }, { patientId: "p2", lines: columns }]))).toEqual(expected);
    expect(text(packLines([{ patientId: "p1", lines: p1 }, { patientId: "p2", lines: p2 }]))).toEqual(expected);
  });
});
