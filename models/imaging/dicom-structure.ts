/**
 * A structural check of a DICOM Part 10 file before dcmjs parses it. dcmjs is lenient where an
 * importer must not be: it ends a sequence of undefined length at the end of the file as if the
 * delimiter were there (a file cut short at an item boundary silently loses its last measurement
 * groups), reads an unknown transfer syntax as explicit little endian, logs and reads on through
 * bytes that are not elements (a file padded with zeros: millions of warnings and minutes of
 * CPU), and inflates a deflated data set without a bound. This walk reads only tags, VRs and
 * lengths (DICOM PS3.5 section 7 and 10, PS3.10 section 7), without recursion, and says where
 * the file first goes wrong.
 */
import { inflateRawSync } from "node:zlib";

/** An SR of imaging AI results is kilobytes; far beyond this is not one (nor is a data set that inflates beyond it). */
export const MAX_SR_BYTES = 32 * 1024 * 1024;
/** TID 1500 nests about five levels; far deeper content is hostile (dcmjs would recurse on it). */
export const MAX_NESTING = 64;

class DicomStructureError extends Error {}

const TRANSFER_SYNTAX = {
  implicitLittle: "1.2.840.10008.1.2",
  explicitLittle: "1.2.840.10008.1.2.1",
  deflatedExplicitLittle: "1.2.840.10008.1.2.1.99",
  explicitBig: "1.2.840.10008.1.2.2",
} as const;
const KNOWN_SYNTAXES: readonly string[] = Object.values(TRANSFER_SYNTAX);

/** VRs with a 2-byte reserved field and a 4-byte length in explicit VR (PS3.5 7.1.2). */
const LONG_VRS = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"]);
const SHORT_VRS = new Set(["AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US"]);
const UNDEFINED_LENGTH = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITER = 0xfffee00d;
const SEQUENCE_DELIMITER = 0xfffee0dd;

interface Syntax {
  explicit: boolean;
  little: boolean;
}

/** One open sequence or item: where it must end (a byte offset, or a delimiter), and how its content is encoded. */
interface Frame {
  kind: "sequence" | "item" | "dataset";
  end: number | "delimiter";
  syntax: Syntax;
  /** Items of encapsulated pixel data hold bytes, not elements. */
  opaqueItems?: boolean;
}

const LATIN1 = new TextDecoder("latin1");

const hexTag = (tag: number) => `(${(tag >>> 16).toString(16).padStart(4, "0")},${(tag & 0xffff).toString(16).padStart(4, "0")})`.toUpperCase();

class Cursor {
  readonly view: DataView;
  offset = 0;
  constructor(readonly bytes: Uint8Array, private readonly little: boolean, private readonly base = 0) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get left(): number {
    return this.bytes.byteLength - this.offset;
  }
  /** Where in the file (for deflated content: in the inflated data set). */
  get at(): string {
    return `byte ${this.base + this.offset}`;
  }
  u16(): number {
    const v = this.view.getUint16(this.offset, this.little);
    this.offset += 2;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.offset, this.little);
    this.offset += 4;
    return v;
  }
  tag(): number {
    return ((this.u16() << 16) | this.u16()) >>> 0;
  }
  ascii(n: number): string {
    const s = LATIN1.decode(this.bytes.subarray(this.offset, this.offset + n));
    this.offset += n;
    return s;
  }
  need(n: number, what: string): void {
    if (this.left < n) throw new DicomStructureError(`the file ends inside ${what} (truncated?)`);
  }
}

/** The element header at the cursor: tag, VR (null in implicit VR) and length. */
function elementHeader(c: Cursor, syntax: Syntax): { tag: number; vr: string | null; length: number } {
  const start = c.at;
  c.need(8, `the element header at ${start}`);
  const tag = c.tag();
  if (tag >>> 16 === 0xfffe || !syntax.explicit) return { tag, vr: null, length: c.u32() };
  const vr = c.ascii(2);
  if (LONG_VRS.has(vr)) {
    c.need(6, `the element header at ${start}`);
    c.offset += 2;
    return { tag, vr, length: c.u32() };
  }
  if (!SHORT_VRS.has(vr)) throw new DicomStructureError(`element ${hexTag(tag)} at ${start} has no valid value representation`);
  return { tag, vr, length: c.u16() };
}

/** Walks a data set (the whole of `bytes`), following every sequence and item to its end. */
function walkDataset(c: Cursor, syntax: Syntax): void {
  const stack: Frame[] = [{ kind: "dataset", end: c.bytes.byteLength, syntax }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.end !== "delimiter" && c.offset >= frame.end) {
      if (c.offset > frame.end) throw new DicomStructureError(`a ${frame.kind} overruns its declared length at ${c.at}`);
      stack.pop();
      continue;
    }
    if (frame.end === "delimiter" && c.left === 0) throw new DicomStructureError(`the file ends inside a ${frame.kind} of undefined length (no delimiter; truncated?)`);
    const start = c.at;
    const { tag, vr, length } = elementHeader(c, frame.syntax);
    if (frame.kind === "sequence") {
      if (tag === SEQUENCE_DELIMITER && frame.end === "delimiter") {
        stack.pop();
      } else if (tag === ITEM && frame.opaqueItems === true) {
        c.need(length, `a fragment (declared length ${length}) starting at ${start}`);
        c.offset += length;
      } else if (tag === ITEM) {
        openFrame(c, stack, { kind: "item", syntax: frame.syntax }, length, start);
      } else {
        throw new DicomStructureError(`a sequence holds element ${hexTag(tag)} at ${start} where an item belongs`);
      }
    } else if (tag === ITEM_DELIMITER && frame.kind === "item" && frame.end === "delimiter") {
      stack.pop();
    } else if (tag >>> 16 === 0xfffe) {
      throw new DicomStructureError(`misplaced item or delimiter ${hexTag(tag)} at ${start}`);
    } else if (vr === "SQ" || (length === UNDEFINED_LENGTH && (vr === null || vr === "UN"))) {
      // Undefined length opens a sequence; UN of undefined length holds implicit VR items (PS3.5 6.2.2).
      openFrame(c, stack, { kind: "sequence", syntax: vr === "UN" ? { explicit: false, little: true } : frame.syntax }, length, start);
    } else if (length === UNDEFINED_LENGTH) {
      openFrame(c, stack, { kind: "sequence", syntax: frame.syntax, opaqueItems: true }, length, start);
    } else {
      c.need(length, `element ${hexTag(tag)} (declared length ${length}) starting at ${start}`);
      c.offset += length;
    }
  }
}

function openFrame(c: Cursor, stack: Frame[], frame: Omit<Frame, "end">, length: number, start: string): void {
  if (stack.length > MAX_NESTING) throw new DicomStructureError(`content nested more than ${MAX_NESTING} levels deep at ${start}`);
  if (length !== UNDEFINED_LENGTH) c.need(length, `a ${frame.kind} (declared length ${length}) starting at ${start}`);
  stack.push({ ...frame, end: length === UNDEFINED_LENGTH ? "delimiter" : c.offset + length });
}

/** The File Meta Information (group 0002, explicit VR little endian): its Transfer Syntax UID and where it ends. */
function readMeta(c: Cursor): { transferSyntax: string | undefined; end: number } {
  let transferSyntax: string | undefined;
  while (c.left >= 4 && c.view.getUint16(c.offset, true) === 0x0002) {
    const start = c.at;
    const { tag, length } = elementHeader(c, { explicit: true, little: true });
    c.need(length, `File Meta element ${hexTag(tag)} starting at ${start}`);
    const value = c.bytes.subarray(c.offset, c.offset + length);
    c.offset += length;
    // A UID is at most 64 characters; a longer value is no transfer syntax (and is not decoded).
    if (tag === 0x00020010) transferSyntax = length > 64 ? "(longer than a UID)" : LATIN1.decode(value).replace(/[\0 ]+$/, "");
  }
  return { transferSyntax, end: c.offset };
}

/**
 * Checks that `bytes` is a complete, well-formed DICOM Part 10 file in a transfer syntax an SR is
 * stored in; throws DicomStructureError saying what is wrong and where.
 */
export function checkDicomStructure(bytes: Uint8Array): void {
  if (bytes.byteLength > MAX_SR_BYTES) throw new DicomStructureError(`${bytes.byteLength} bytes is more than an SR can be (${MAX_SR_BYTES})`);
  const c = new Cursor(bytes, true);
  if (bytes.byteLength < 132 || LATIN1.decode(bytes.subarray(128, 132)) !== "DICM") {
    throw new DicomStructureError("no DICOM Part 10 header (128-byte preamble and DICM)");
  }
  c.offset = 132;
  const { transferSyntax, end } = readMeta(c);
  if (transferSyntax === undefined) throw new DicomStructureError("the File Meta Information has no Transfer Syntax UID");
  if (!KNOWN_SYNTAXES.includes(transferSyntax)) {
    throw new DicomStructureError(`transfer syntax ${JSON.stringify(transferSyntax.slice(0, 64))} is not one an SR is stored in (implicit or explicit VR little endian, deflated, explicit VR big endian)`);
  }
  const syntax: Syntax = { explicit: transferSyntax !== TRANSFER_SYNTAX.implicitLittle, little: transferSyntax !== TRANSFER_SYNTAX.explicitBig };
  const dataset = transferSyntax === TRANSFER_SYNTAX.deflatedExplicitLittle ? inflated(bytes.subarray(end)) : bytes.subarray(end);
  walkDataset(new Cursor(dataset, syntax.little, transferSyntax === TRANSFER_SYNTAX.deflatedExplicitLittle ? 0 : end), syntax);
}

function inflated(deflated: Uint8Array): Uint8Array {
  try {
    return inflateRawSync(deflated, { maxOutputLength: MAX_SR_BYTES });
  } catch (error) {
    const tooLarge = (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
    throw new DicomStructureError(tooLarge ? `the deflated data set inflates to more than ${MAX_SR_BYTES} bytes` : "the deflated data set does not inflate");
  }
}
