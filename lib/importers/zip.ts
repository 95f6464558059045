import path from "node:path";
import yauzl from "yauzl";
import { unpackStream, UnpackLimitError } from "@/lib/unpack/unpack";
import { ImportError } from "./types";

/** ZIP compression methods evalbench reads: stored, deflate, and zstd (newer Inspect logs). */
const STORED = 0;
const DEFLATE = 8;
const ZSTD = 93;

/** A ZIP archive whose entries are read one at a time, by name. */
export interface ZipArchive {
  names: string[];
  read(name: string): Promise<Buffer>;
  close(): void;
}

/** How an entry's bytes are stored, as unpackStream names it. */
function methodOf(entry: yauzl.Entry): "stored" | "deflate-raw" | "zstd" {
  if (entry.compressionMethod === STORED) return "stored";
  if (entry.compressionMethod === DEFLATE) return "deflate-raw";
  if (entry.compressionMethod === ZSTD) return "zstd";
  throw new Error(`compression method ${entry.compressionMethod} is not supported (stored, deflate and zstd are)`);
}

/** Opens a ZIP file; a truncated or corrupt archive fails here, naming the file. */
export async function openZip(file: string): Promise<ZipArchive> {
  const name = path.basename(file);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (error) {
    throw new ImportError(`${name} cannot be opened as a ZIP archive (${(error as Error).message}): the file is truncated or not an archive; copy it again from its source`);
  }
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("entry", (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith("/")) entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on("end", resolve);
      zip.on("error", reject);
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw new ImportError(`${name}: the archive's directory cannot be read (${(error as Error).message}); the file is truncated or corrupt`);
  }
  return {
    names: [...entries.keys()],
    async read(entryName) {
      const entry = entries.get(entryName);
      if (!entry) throw new ImportError(`${name} has no entry ${entryName}`);
      const what = `${name}, entry ${entryName}`;
      try {
        const data = await unpackStream(methodOf(entry), () => zip.openReadStreamPromise(entry, { decodeFileData: false }), what, entry.uncompressedSize);
        if (data.length !== entry.uncompressedSize) throw new Error(`it decompresses to ${data.length} bytes, the archive says ${entry.uncompressedSize}`);
        return data;
      } catch (error) {
        if (error instanceof UnpackLimitError) throw new ImportError(`${error.message}; import it from the shell after unpacking it yourself if it is genuine`);
        throw new ImportError(`${name}, entry ${entryName}: cannot be read (${(error as Error).message}); the archive is damaged, copy it again from its source`);
      }
    },
    close: () => zip.close(),
  };
}
