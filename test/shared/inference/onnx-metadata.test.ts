import { describe, expect, it } from "vitest";
import { OnnxFormatError, readOnnxMetadata } from "../../../shared/inference/onnx-metadata.ts";
import { committedModel, metadataEntry, withMetadata } from "./onnx-bytes.ts";

describe("readOnnxMetadata", () => {
  it("decodes metadata entries and skips other field types", () => {
    // field 1 varint 7 (ir_version), field 2 fixed64, field 3 fixed32, then two entries.
    const bytes = new Uint8Array([
      0x08, 0x07,
      0x11, 1, 2, 3, 4, 5, 6, 7, 8,
      0x1d, 1, 2, 3, 4,
      ...metadataEntry("a", "1"),
      ...metadataEntry("ünïcode", "välue"),
    ]);
    expect(readOnnxMetadata(bytes)).toEqual({ a: "1", "ünïcode": "välue" });
  });

  it("lets a later entry of the same key win", () => {
    const bytes = new Uint8Array([...metadataEntry("k", "old"), ...metadataEntry("k", "new")]);
    expect(readOnnxMetadata(bytes)).toEqual({ k: "new" });
  });

  it("handles multi-byte lengths", () => {
    const long = "x".repeat(300);
    expect(readOnnxMetadata(metadataEntry("long", long))).toEqual({ long });
  });

  it("rejects truncated data with a clear error", () => {
    const entry = metadataEntry("key", "value");
    expect(() => readOnnxMetadata(entry.subarray(0, entry.length - 2))).toThrow(OnnxFormatError);
    expect(() => readOnnxMetadata(new Uint8Array([0x08, 0x80]))).toThrow(/truncated varint/);
    expect(() => readOnnxMetadata(new Uint8Array([0x0b]))).toThrow(/wire type 3/);
  });

  it("reads the committed model's metadata, including a rewritten property", () => {
    const model = committedModel();
    const props = readOnnxMetadata(model);
    expect(props["model_name"]).toBe("deep-koa");
    expect(props["feature_spec_version"]).toMatch(/^koa-features\//);
    expect(readOnnxMetadata(withMetadata(model, "feature_spec_version", "other"))["feature_spec_version"]).toBe("other");
  });
});
