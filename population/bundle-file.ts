/**
 * One Bundle file on disk: opened and checked before anything of it is read (a regular file, at
 * most MAX_BUNDLE_FILE_BYTES), read as text, or scanned for a Patient. Why a file is not read is a
 * fixed reason, never the system's message, which holds the file's path (its name may be a
 * patient's). The reading of its Bundles is bundle-reader.ts's.
 */
import { isUtf8 } from "node:buffer";
import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";

/** Matches the text of a file that holds a Patient (the pattern is ASCII, so it finds the same
 * places in a Latin-1 view of the bytes as in the UTF-8 text). */
export const HAS_PATIENT = /"resourceType"\s*:\s*"Patient"/;

/** Bytes read at a time while looking for a file's Patient. */
export const SCAN_CHUNK_BYTES = 64 * 1024;

/**
 * The largest Bundle file read, in bytes; a larger one is a bad file ("larger than 256 MiB"),
 * found by its size before anything of it is read. A file is read whole into one string, and V8
 * cannot make a string of more than 2^29 - 24 characters (a file over about 512 MiB stopped the
 * run with "Invalid string length"). Half of that leaves room for the parse: a 256 MiB Bundle of
 * Observations took about 850 MB of heap to parse (measured), where a patient's Bundle is a few MB.
 */
export const MAX_BUNDLE_FILE_BYTES = 256 * 1024 * 1024;

/** O_NONBLOCK: opening a FIFO named *.json returns at once (it would wait for a writer), to be
 * found not a regular file; regular files are read as without it. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Characters of a chunk kept for the next one, so that a Patient split by the chunk boundary is
 * found: the match is about 26 characters plus the whitespace a JSON writer puts around the colon
 * (a few spaces). A match hidden by more whitespace than this is missed here: the reader then finds
 * it in the file's whole text, and only the expected-patient count is low. */
const CHUNK_OVERLAP = 1024;

/**
 * True when the file holds a Patient: how the expected-patient count counts patients' files.
 * False for a file the reader does not read (it cannot be read, or is over MAX_BUNDLE_FILE_BYTES,
 * which is not scanned): the count is an estimate, and the reader reports such a file.
 */
export async function holdsPatient(file: string, buffer: Buffer): Promise<boolean> {
  const opened = await openBundleFile(file, MAX_BUNDLE_FILE_BYTES);
  if ("reason" in opened) return false;
  try {
    return await scanForPatient(opened.handle, buffer);
  } catch {
    return false;
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}

/**
 * True when the open file holds a Patient: how the reader tells patients' files from shared ones.
 * Reads only up to the first Patient, which Synthea writes as a Bundle's first entry, so a
 * patient's file costs one chunk and only files without a Patient are read whole.
 * A file handle and one reused buffer: about four times faster than a read stream per file.
 */
export async function scanForPatient(handle: FileHandle, buffer: Buffer): Promise<boolean> {
  let tail = "";
  for (let position = 0; ; ) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return false;
    position += bytesRead;
    // Latin-1: the pattern is ASCII, and a chunk boundary may split a UTF-8 character.
    const text = tail + buffer.toString("latin1", 0, bytesRead);
    if (HAS_PATIENT.test(text)) return true;
    tail = text.slice(-CHUNK_OVERLAP);
  }
}

/** A Bundle file opened and found a regular file within the size limit, or why it is not read. */
export type OpenedFile = { handle: FileHandle; size: number } | { reason: string };

/** Opens the file and checks it by its fstat before anything of it is read. */
export async function openBundleFile(file: string, maxBytes: number): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    return { reason: unreadableReason(error) };
  }
  let reason: string;
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size <= maxBytes) return { handle, size: info.size };
    reason = info.isDirectory() ? "a folder, not a file" : !info.isFile() ? "not a regular file" : `larger than ${byteSize(maxBytes)}`;
  } catch (error) {
    reason = unreadableReason(error);
  }
  await handle.close().catch(() => undefined);
  return { reason };
}

/** Thrown by readText for bytes that are not UTF-8, which JSON exchanged between systems must be
 * (RFC 8259, section 8.1): decoding them anyway would change a code or an id without a word. */
class NotUtf8Error extends Error {}

/** The text of an open file (at most `size` bytes, its size when opened), without a leading
 * UTF-8 byte order mark (some Windows tools write one; JSON.parse refuses it); NotUtf8Error when
 * the bytes are not UTF-8. */
export async function readText(handle: FileHandle, size: number): Promise<string> {
  const bytes = Buffer.allocUnsafe(size);
  let length = 0;
  while (length < size) {
    const { bytesRead } = await handle.read(bytes, length, size - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  const start = length >= UTF8_BOM.length && bytes.subarray(0, UTF8_BOM.length).equals(UTF8_BOM) ? UTF8_BOM.length : 0;
  if (!isUtf8(bytes.subarray(start, length))) throw new NotUtf8Error();
  return bytes.toString("utf8", start, length);
}

/** Why a file could not be opened or read: a fixed reason from the error's code, never the
 * system's message, which holds the file's path (and so its name). */
export function unreadableReason(error: unknown): string {
  if (error instanceof NotUtf8Error) return "not valid UTF-8";
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT" || code === "ENOTDIR") return "no such file (a broken symbolic link?)";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "a folder, not a file";
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? `could not be read (${code})` : "could not be read";
}

/** "256 MiB", or in bytes when not a whole number of MiB (a test's limit). */
function byteSize(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}
