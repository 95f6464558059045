import type { AsyncBuffer, FileMetaData } from "hyparquet";

interface ByteRange {
  start: number;
  end: number;
}

/**
 * Chunks closer than this are fetched as one range: up to 256 KB of unneeded bytes (the small
 * JSON columns between wanted ones, or a well-compressed text chunk) cost less than another HTTP
 * round trip on a local or LAN link.
 */
const MERGE_GAP = 256 << 10;
/** Upper bound of one merged range, so one request never turns into a whole-file download. */
const MAX_RANGE = 8 << 20;

/** Byte ranges of the wanted column chunks of row groups [firstGroup, lastGroup], merged where close. */
export function chunkRanges(metadata: FileMetaData, columns: readonly string[], firstGroup: number, lastGroup: number): ByteRange[] {
  const wanted = new Set(columns);
  const ranges: ByteRange[] = [];
  for (let g = firstGroup; g <= lastGroup; g++) {
    for (const chunk of metadata.row_groups[g].columns) {
      const meta = chunk.meta_data;
      if (!meta || !wanted.has(meta.path_in_schema[0])) continue;
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      ranges.push({ start, end: start + Number(meta.total_compressed_size) });
    }
  }
  ranges.sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start - last.end <= MERGE_GAP && range.end - last.start <= MAX_RANGE) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/**
 * An AsyncBuffer over `file` that fetches `ranges` up front, all at once, and serves every slice
 * inside them from memory. Parquet readers ask for each column chunk of each row group
 * separately: over HTTP that is hundreds of small requests, where merged ranges need about one
 * per row group. Slices outside the ranges go to `file`.
 */
export function prefetchedBuffer(file: AsyncBuffer, ranges: readonly ByteRange[]): AsyncBuffer {
  const blocks = ranges.map((range) => ({ ...range, bytes: Promise.resolve(file.slice(range.start, range.end)) }));
  // a failed block is reported by the read that needs it; none is left unhandled meanwhile
  for (const block of blocks) block.bytes.catch(() => {});
  return {
    byteLength: file.byteLength,
    slice(start, end = file.byteLength) {
      const block = blocks.find((b) => b.start <= start && end <= b.end);
      if (!block) return file.slice(start, end);
      return block.bytes.then((bytes) => bytes.slice(start - block.start, end - block.start));
    },
  };
}
