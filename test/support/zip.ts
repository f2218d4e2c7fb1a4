import { deflateRawSync } from "node:zlib";

// Zip archives built byte by byte, for the upload guard's tests: what a hostile client could send.

export interface CraftedEntry {
  name: string;
  data: Uint8Array;
  /** The uncompressed size the headers declare, when it should lie. */
  declaredSize?: number;
  /** Flag bits of the headers (1: encrypted). */
  flags?: number;
}

/** A zip of deflated entries, with each entry's headers saying what `declaredSize` says. */
export function craftZip(entries: CraftedEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const packed = deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.byteLength;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags ?? 0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.byteLength, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.byteLength, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.flags ?? 0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.byteLength, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.byteLength, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.byteLength + name.byteLength + packed.byteLength;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/** One sheet entry of `megabytes` MB of zeros: tiny on disk (about 40 KB for 40 MB), huge unpacked. */
export function zipBomb(megabytes = 40, declaredSize?: number): Uint8Array {
  return craftZip([{ name: "xl/worksheets/sheet1.xml", data: new Uint8Array(megabytes * 1024 * 1024), declaredSize }]);
}
