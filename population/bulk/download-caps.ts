/**
 * Caps on what an export may write to disk: bytes per file and bytes per export (its output,
 * error and deleted files together). A server that sends a file without end (a bug, or hostile)
 * once wrote 7.5 GB into one `.partial` before the disk filled; now the download stops at the cap
 * with an error that says which file and which cap, and is not retried (the same file would come
 * as large again). The bytes counted are those written, after fetch has undone any
 * Content-Encoding: a small compressed answer that unpacks into gigabytes is caught too.
 */

const GIB = 2 ** 30;

/** A file: 8 GiB. Servers split their exports into files of some thousands to a million
 * resources; a file of the job's types at that size holds tens of millions of lines. */
export const DEFAULT_MAX_FILE_BYTES = 8 * GIB;
/** An export: 256 GiB, the job's types for millions of patients, with room; past it the disk is
 * more likely to fill than the export to be real. */
export const DEFAULT_MAX_EXPORT_BYTES = 256 * GIB;

export interface ByteCaps {
  fileBytes: number;
  exportBytes: number;
}

/** "8 GiB", "64 KiB", "1000 bytes": a cap as the messages say it, in the largest unit it is a whole number of. */
export function sizeText(bytes: number): string {
  for (const [unit, size] of [["GiB", GIB], ["MiB", 2 ** 20], ["KiB", 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** What one download counts: its bytes, and a `release` of them when it is given up (its
 * `.partial` deleted, they are no longer on disk). */
export interface DownloadBytes {
  /** Counts `bytes` more; throws, naming `label` and the cap, past either cap. */
  add(bytes: number): void;
  release(): void;
}

/**
 * The bytes of one export on disk, shared by its parallel downloads: the files a resumed run finds
 * already downloaded, and those of every download as it comes in.
 */
export class ExportBytes {
  #total = 0;

  constructor(readonly caps: ByteCaps) {}

  /** A file already on disk (an earlier run's): it counts against the export's cap. */
  alreadyOnDisk(bytes: number): void {
    this.#total += bytes;
  }

  /** One download's count; `label` names the file in the error ("download Patient.00003.ndjson (output[3])"). */
  download(label: string): DownloadBytes {
    let file = 0;
    return {
      add: (bytes) => {
        file += bytes;
        this.#total += bytes;
        if (file > this.caps.fileBytes) {
          throw new Error(
            `${label}: the file is larger than ${sizeText(this.caps.fileBytes)}, the cap for one file (--max-file-gib): its download is stopped and its .partial deleted; ` +
              "if the server's files are really this large, raise the cap and run the same command again",
          );
        }
        if (this.#total > this.caps.exportBytes) {
          throw new Error(
            `${label}: the export's files are larger than ${sizeText(this.caps.exportBytes)} in all, the cap for one export (--max-export-gib): this download is stopped and its .partial deleted ` +
              "(the files already downloaded are kept); if the export is really this large, raise the cap and run the same command again",
          );
        }
      },
      release: () => {
        this.#total -= file;
        file = 0;
      },
    };
  }
}
