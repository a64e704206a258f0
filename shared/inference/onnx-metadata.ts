/**
 * Reads the custom metadata (ModelProto.metadata_props) straight from ONNX model bytes.
 *
 * Why a reader of our own: neither onnxruntime-node nor onnxruntime-web exposes custom
 * metadata_props through its JavaScript API, and a sidecar file could drift from the model it
 * describes. This reader understands just enough protobuf to walk the top-level ModelProto
 * fields and decode field 14 (repeated StringStringEntryProto {1: key, 2: value}); every other
 * field, including the multi-megabyte graph, is skipped by its length without being parsed.
 */

const METADATA_PROPS_FIELD = 14;
const ENTRY_KEY_FIELD = 1;
const ENTRY_VALUE_FIELD = 2;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

export class OnnxFormatError extends Error {
  override name = "OnnxFormatError";
}

/** A position in a byte buffer; advances as fields are read. */
interface Cursor {
  bytes: Uint8Array;
  pos: number;
  end: number;
}

function readVarint(c: Cursor): number {
  let result = 0;
  let scale = 1;
  // Protobuf varints hold up to 64 bits; lengths and tags here fit well within 2^53, so plain
  // numbers (not BigInt) are exact. Ten bytes is the protobuf maximum.
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.end) throw new OnnxFormatError(`truncated varint at byte ${c.pos}`);
    const byte = c.bytes[c.pos++] as number;
    result += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return result;
    scale *= 128;
  }
  throw new OnnxFormatError(`varint longer than 10 bytes at byte ${c.pos}`);
}

/** Reads one field header and returns its number, wire type and (for length-delimited) span. */
function readField(c: Cursor): { field: number; wire: number; start: number; length: number } {
  const tag = readVarint(c);
  const field = Math.floor(tag / 8);
  const wire = tag % 8;
  const start = c.pos;
  switch (wire) {
    case WIRE_VARINT:
      readVarint(c);
      return { field, wire, start, length: c.pos - start };
    case WIRE_FIXED64:
      c.pos += 8;
      break;
    case WIRE_FIXED32:
      c.pos += 4;
      break;
    case WIRE_LENGTH_DELIMITED: {
      const length = readVarint(c);
      const dataStart = c.pos;
      c.pos += length;
      if (c.pos > c.end) throw new OnnxFormatError(`field ${field} runs past the end of the data`);
      return { field, wire, start: dataStart, length };
    }
    default:
      throw new OnnxFormatError(`unsupported protobuf wire type ${wire} (field ${field}) at byte ${start}`);
  }
  if (c.pos > c.end) throw new OnnxFormatError(`field ${field} runs past the end of the data`);
  return { field, wire, start, length: c.pos - start };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeEntry(bytes: Uint8Array, start: number, length: number): [string, string] {
  const c: Cursor = { bytes, pos: start, end: start + length };
  let key = "";
  let value = "";
  while (c.pos < c.end) {
    const f = readField(c);
    if (f.wire !== WIRE_LENGTH_DELIMITED) continue;
    const text = utf8.decode(bytes.subarray(f.start, f.start + f.length));
    if (f.field === ENTRY_KEY_FIELD) key = text;
    else if (f.field === ENTRY_VALUE_FIELD) value = text;
  }
  return [key, value];
}

/**
 * Returns the model's metadata_props as a plain object. Later duplicates of a key win, as in
 * onnx.load. Throws OnnxFormatError when the bytes are not a well-formed protobuf message.
 */
export function readOnnxMetadata(modelBytes: Uint8Array): Record<string, string> {
  const c: Cursor = { bytes: modelBytes, pos: 0, end: modelBytes.length };
  const props: Record<string, string> = {};
  while (c.pos < c.end) {
    const f = readField(c);
    if (f.field === METADATA_PROPS_FIELD && f.wire === WIRE_LENGTH_DELIMITED) {
      const [key, value] = decodeEntry(modelBytes, f.start, f.length);
      props[key] = value;
    }
  }
  return props;
}
