import fs from "node:fs";
import path from "node:path";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";

export interface ZipEntry {
  name: string;
  /** ZIP compression method: 0 stored, 8 deflate, 93 zstd. */
  method: number;
  /** The entry's bytes as stored (already compressed). */
  data: Buffer;
  /** The unpacked size the archive declares, truthfully or not. */
  declared: number;
}

/** A ZIP archive `name` in a new temp folder, written byte by byte so its sizes can lie (CRCs are left 0: yauzl does not check them). */
export function zipFile(entries: ZipEntry[], name = "bomb.zip"): string {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const fileName = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.declared, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.method, 10);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.declared, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, entry.data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  const file = path.join(tempWorkspace(), name);
  fs.writeFileSync(file, Buffer.concat([...locals, directory, end]));
  return file;
}
