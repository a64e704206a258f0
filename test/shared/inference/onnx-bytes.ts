/**
 * Test helpers: the committed model's bytes, and protobuf encoding of an extra
 * ModelProto.metadata_props entry (field 14). Appending a field to a protobuf message is a
 * valid merge, and for metadata the later entry wins, so this "rewrites" one property.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const MODEL_DIR = fileURLToPath(new URL("../../../models/deep-koa/", import.meta.url));

export function committedModel(file = "deep-koa.onnx"): Uint8Array {
  return new Uint8Array(readFileSync(MODEL_DIR + file));
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

function lengthDelimited(field: number, payload: Uint8Array): number[] {
  return [...varint(field * 8 + 2), ...varint(payload.length), ...payload];
}

export function metadataEntry(key: string, value: string): Uint8Array {
  const enc = new TextEncoder();
  const entry = new Uint8Array([...lengthDelimited(1, enc.encode(key)), ...lengthDelimited(2, enc.encode(value))]);
  return new Uint8Array(lengthDelimited(14, entry));
}

export function withMetadata(model: Uint8Array, key: string, value: string): Uint8Array {
  const extra = metadataEntry(key, value);
  const out = new Uint8Array(model.length + extra.length);
  out.set(model);
  out.set(extra, model.length);
  return out;
}
