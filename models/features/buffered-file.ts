/**
 * A file written synchronously through a fixed buffer: few, large writes and no queue that
 * can grow (a stream without backpressure handling would buffer a whole population). Created
 * owner-only (0600, whatever the umask): its writers (the features' tensors and rows, the
 * population job's outputs) write patients' data (population/owner-only-files.ts).
 */
import { closeSync, writeSync } from "node:fs";
import { openOwnerOnly } from "../../population/owner-only-files.ts";

/** Bytes buffered before a write. */
const FLUSH_BYTES = 1 << 20;

export class BufferedFile {
  private readonly fd: number;
  private buffer: Buffer;
  private used = 0;

  constructor(readonly path: string) {
    this.fd = openOwnerOnly(path);
    this.buffer = Buffer.alloc(FLUSH_BYTES);
  }

  write(bytes: Buffer): void {
    if (this.used + bytes.length > this.buffer.length) this.flush();
    if (bytes.length > this.buffer.length) {
      writeSync(this.fd, bytes);
      return;
    }
    bytes.copy(this.buffer, this.used);
    this.used += bytes.length;
  }

  writeText(text: string): void {
    this.write(Buffer.from(text, "utf8"));
  }

  /** Writes bytes at an absolute position (after flushing), e.g. to patch a header. */
  writeAt(bytes: Buffer, position: number): void {
    this.flush();
    writeSync(this.fd, bytes, 0, bytes.length, position);
  }

  /** Flushes and closes. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  /** Closes without flushing (after a failure; the caller deletes the file). */
  abandon(): void {
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.used === 0) return;
    writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }
}
