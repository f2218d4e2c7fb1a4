import { inflateRawSync } from "node:zlib";
import { ValidationError } from "../errors.server";

// An .xlsx is a zip: a 209 KB file can unpack to 200 MB, and exceljs 4.4 reads whatever it is given
// (measured: a 209 KB file holding one 200 MB cell took 530 MB to read). So before exceljs sees an upload, its zip directory is read here and every entry
// is unpacked once with a cap of the size it declares: an archive that lies about its sizes, hides
// data the directory does not list, or unpacks to an absurd size or ratio is refused.

export const XLSX_LIMITS = {
  uploadBytes: 5 * 1024 * 1024,
  entries: 200,
  // 5,000 homes unpack to about 2 MB of sheet; more is parsing time for nothing.
  totalBytes: 12 * 1024 * 1024,
  entryBytes: 8 * 1024 * 1024,
  ratio: 100,
  /** Entries smaller than this may compress as well as they like (a sheet of blanks does). */
  ratioFloorBytes: 1024 * 1024,
} as const;

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

const NOT_XLSX = "文件不是有效的 Excel 表格（.xlsx），请用模板填写后上传";
const refuse = (message: string): never => {
  throw new ValidationError({ file: message }, message);
};
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)}MB`;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  dataStart: number;
}

/** Where the end-of-central-directory record starts, searching back over a comment of at most 64 KB. */
function findEnd(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) if (view.getUint32(at, true) === EOCD) return at;
  return refuse(NOT_XLSX);
}

/** The entries the zip's central directory lists, checked against their local headers and the limits. */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  if (bytes.byteLength < 22) refuse(NOT_XLSX);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(view);
  const disk = view.getUint16(end + 4, true);
  const directoryDisk = view.getUint16(end + 6, true);
  const entriesOnDisk = view.getUint16(end + 8, true);
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryStart = view.getUint32(end + 16, true);
  const zip64 =
    (end >= 20 && view.getUint32(end - 20, true) === ZIP64_LOCATOR) ||
    count === 0xffff ||
    directorySize === 0xffffffff ||
    directoryStart === 0xffffffff;
  if (zip64) refuse("不支持 ZIP64 格式的文件，请用 Excel 另存为 .xlsx 后上传");
  if (disk !== 0 || directoryDisk !== 0 || entriesOnDisk !== count) refuse(NOT_XLSX);
  // The directory must end where the end record starts: no bytes the directory does not account for.
  if (directoryStart + directorySize !== end || count === 0) refuse(NOT_XLSX);
  if (count > XLSX_LIMITS.entries) refuse(`文件包含的内容条目过多（${count} 个，至多 ${XLSX_LIMITS.entries} 个），不像是房屋清单`);

  const entries: ZipEntry[] = [];
  let total = 0;
  let at = directoryStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL) refuse(NOT_XLSX);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localStart = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > end) refuse(NOT_XLSX);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (flags & 0x1) refuse("不支持加密的文件，请取消密码保护后上传");
    if (compressedSize === 0xffffffff || size === 0xffffffff || localStart === 0xffffffff)
      refuse("不支持 ZIP64 格式的文件，请用 Excel 另存为 .xlsx 后上传");
    if (method !== STORED && method !== DEFLATED) refuse(NOT_XLSX);
    if (size > XLSX_LIMITS.entryBytes) refuse(`文件解压后过大（单项超过 ${mb(XLSX_LIMITS.entryBytes)}），请只保留房屋清单后上传`);
    total += size;
    if (total > XLSX_LIMITS.totalBytes) refuse(`文件解压后过大（超过 ${mb(XLSX_LIMITS.totalBytes)}），请只保留房屋清单后上传`);
    if (size > XLSX_LIMITS.ratioFloorBytes && size > compressedSize * XLSX_LIMITS.ratio)
      refuse("文件的压缩比异常，可能是恶意构造的压缩包，已拒绝");
    entries.push({ name, method, compressedSize, size, dataStart: localData(view, localStart, name, method, directoryStart) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (at !== end) refuse(NOT_XLSX);
  for (const entry of entries) if (entry.dataStart + entry.compressedSize > directoryStart) refuse(NOT_XLSX);
  return entries;
}

/** Where an entry's data starts, after a local header that must name the same file and method. */
function localData(view: DataView, start: number, name: string, method: number, limit: number): number {
  if (start + 30 > limit || view.getUint32(start, true) !== LOCAL) refuse(NOT_XLSX);
  const flags = view.getUint16(start + 6, true);
  const nameLength = view.getUint16(start + 26, true);
  const extraLength = view.getUint16(start + 28, true);
  if (flags & 0x1) refuse("不支持加密的文件，请取消密码保护后上传");
  if (view.getUint16(start + 8, true) !== method) refuse(NOT_XLSX);
  const nameStart = start + 30;
  if (nameStart + nameLength > limit) refuse(NOT_XLSX);
  const localName = new TextDecoder().decode(new Uint8Array(view.buffer, view.byteOffset + nameStart, nameLength));
  if (localName !== name) refuse(NOT_XLSX);
  return nameStart + nameLength + extraLength;
}

/**
 * Refuses (422 on `file`) anything but a modest .xlsx: over the upload cap, not a zip, zip64 or
 * encrypted, too many entries, too large or too compressed once unpacked. Every entry is unpacked
 * with its declared size as the cap, so what exceljs unpacks afterwards is what was checked here.
 */
export function guardXlsx(bytes: Uint8Array): void {
  if (bytes.byteLength === 0) refuse("文件是空的");
  if (bytes.byteLength > XLSX_LIMITS.uploadBytes) refuse(`文件超过 ${mb(XLSX_LIMITS.uploadBytes)} 的上限`);
  for (const entry of readZipDirectory(bytes)) {
    const data = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
    if (entry.method === STORED) {
      if (entry.compressedSize !== entry.size) refuse(NOT_XLSX);
      continue;
    }
    let unpacked: Buffer;
    try {
      unpacked = inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
    } catch {
      // More than it declared, or not a deflate stream at all.
      return refuse("文件内容与其声明的大小不符，可能已损坏或被恶意构造，已拒绝");
    }
    if (unpacked.byteLength !== entry.size) refuse("文件内容与其声明的大小不符，可能已损坏或被恶意构造，已拒绝");
  }
}
