import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { Decompress } from "fzstd";

// Every decompression of outside data (zip entries, .gz files, zstd in Inspect's .eval logs) goes
// through here: it stops as soon as the output passes its limit, so a small file that unpacks to
// gigabytes is refused having used a few megabytes, not the whole unpacked size.

const MB = 1024 * 1024;

/** The most any one file or archive entry may unpack to: EVALBENCH_MAX_UNPACKED_MB, default 1024. */
export function unpackCap(env: Record<string, string | undefined> = process.env): number {
  const mb = Number(env.EVALBENCH_MAX_UNPACKED_MB ?? 1024);
  if (!Number.isFinite(mb) || mb <= 0) throw new Error(`EVALBENCH_MAX_UNPACKED_MB=${env.EVALBENCH_MAX_UNPACKED_MB} is not a positive number of megabytes`);
  return Math.floor(mb * MB);
}

/** The source is at fault (a 400 when it came in an upload). */
export class UnpackLimitError extends Error {
  readonly status = 400;
}

const shown = (bytes: number) => (bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${bytes} bytes`);

/** How much one output may hold (the declared size when the container states one, never more than the cap), and the error past it. */
function outputLimit(what: string, declared: number | null): { limit: number; tooLarge: () => UnpackLimitError } {
  const cap = unpackCap();
  if (declared !== null && declared > cap) {
    throw new UnpackLimitError(`${what} declares ${shown(declared)} unpacked, more than the ${shown(cap)} evalbench unpacks (EVALBENCH_MAX_UNPACKED_MB)`);
  }
  const tooLarge = () =>
    new UnpackLimitError(`${what} unpacks to more than ${declared === null ? `the ${shown(cap)} evalbench unpacks (EVALBENCH_MAX_UNPACKED_MB)` : `the ${shown(declared)} its archive declares`}: refused as a decompression bomb`);
  return { limit: declared ?? cap, tooLarge };
}

/**
 * Decompresses `input` (`what` names the file and entry for the error), allowing at most the
 * `declared` size when the container states one, and never more than the cap.
 */
export function unpack(method: "deflate-raw" | "gzip" | "zstd", input: Uint8Array, what: string, declared: number | null = null): Buffer {
  const { limit, tooLarge } = outputLimit(what, declared);
  if (method === "zstd") {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const stream = new Decompress((chunk) => {
      size += chunk.length;
      if (size > limit) throw tooLarge();
      chunks.push(chunk);
    });
    stream.push(input, true);
    return Buffer.concat(chunks);
  }
  try {
    // the sync calls inflate chunk by chunk and stop once past maxOutputLength
    const options = { maxOutputLength: Math.max(1, limit) };
    return method === "gzip" ? zlib.gunzipSync(input, options) : zlib.inflateRawSync(input, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge();
    throw error;
  }
}

/** fzstd's push decoder as a stream. */
function zstdStream(): Transform {
  const decoder = new Decompress((chunk) => stream.push(Buffer.from(chunk)));
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decoder.push(chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        decoder.push(new Uint8Array(0), true);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  return stream;
}

/**
 * Reads and decompresses a stream (a zip entry's compressed bytes, opened by `open`) under the
 * same limits as `unpack`, chunk by chunk: past the limit it stops reading the source, so neither the
 * compressed nor the unpacked bytes are ever held beyond it.
 */
export async function unpackStream(method: "stored" | "deflate-raw" | "zstd", open: () => Promise<Readable>, what: string, declared: number | null): Promise<Buffer> {
  // checked before the source is opened: an entry declaring too much is refused unread
  const { limit, tooLarge } = outputLimit(what, declared);
  const source = await open();
  const decoder = method === "stored" ? null : method === "zstd" ? zstdStream() : zlib.createInflateRaw();
  const chunks: Buffer[] = [];
  let size = 0;
  let refused: UnpackLimitError | null = null;
  const keep = async (output: AsyncIterable<Buffer>) => {
    for await (const chunk of output) {
      size += chunk.length;
      if (size > limit) throw (refused = tooLarge());
      chunks.push(chunk);
    }
  };
  try {
    await (decoder ? pipeline(source, decoder, keep) : pipeline(source, keep));
  } catch (error) {
    // the pipeline reports our refusal as a bare AbortError: give the reason
    throw refused ?? error;
  }
  return Buffer.concat(chunks);
}
