// Limits on what a zip-based document (DOCX) may unpack to, checked before any parser sees it.
// A zip can hold hundreds of megabytes of repetitive XML in well under a megabyte; a parser that
// unpacks it all blocks and exhausts the process. The central directory says how big each entry
// claims to be; this checks those claims (count, total, ratio) and then unpacks every entry with a
// hard cap at its claimed size, so a lying header is caught too — all before the parser runs.
import { constants, inflateRawSync } from 'node:zlib';

import { ParseFailure } from './document.js';

export interface ZipLimits {
  /** Sum of all entries' unpacked sizes. */
  maxUnpackedBytes: number;
  /** Unpacked ÷ packed size of any entry bigger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUnpackedBytes: 256 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  maxEntries: 10_000,
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function corrupt(message: string): ParseFailure {
  return new ParseFailure('corrupt', `not a readable DOCX file (${message})`);
}

function tooLarge(message: string): ParseFailure {
  return new ParseFailure('too-large', `${message}; refused as a possible zip bomb`);
}

/** Throws a ParseFailure unless every entry of the zip in `bytes` stays within `limits`. */
export function checkZipBounds(bytes: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  // The end-of-central-directory record is in the last 22 + 65,535 (comment) bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no zip directory');
  const count = bytes.readUInt16LE(eocd + 10);
  const directorySize = bytes.readUInt32LE(eocd + 12);
  const directoryOffset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff)
    throw corrupt('a ZIP64 archive, which a document of this size never needs');
  if (count > limits.maxEntries) throw tooLarge(`the archive has ${count} entries (the limit is ${limits.maxEntries})`);
  if (directoryOffset + directorySize > eocd) throw corrupt('the zip directory points outside the file');

  let total = 0;
  let at = directoryOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) throw corrupt('a damaged zip directory');
    const method = bytes.readUInt16LE(at + 10);
    const packed = bytes.readUInt32LE(at + 20);
    const unpacked = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    const local = bytes.readUInt32LE(at + 42);
    at = next;

    total += unpacked;
    if (total > limits.maxUnpackedBytes)
      throw tooLarge(`the archive unpacks to more than ${mb(limits.maxUnpackedBytes)} (at ${name}, ${mb(unpacked)})`);
    if (unpacked > limits.ratioFloorBytes && unpacked > packed * limits.maxRatio)
      throw tooLarge(`${name} unpacks ${mb(packed)} into ${mb(unpacked)}, over ${limits.maxRatio} times`);

    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== LOCAL) throw corrupt(`a damaged entry ${name}`);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    if (start + packed > bytes.length) throw corrupt(`entry ${name} runs past the end of the file`);
    if (method === 0) {
      if (packed !== unpacked) throw corrupt(`stored entry ${name} has two different sizes`);
      continue;
    }
    if (method !== 8) throw corrupt(`entry ${name} uses compression method ${method}`);
    // Unpack with a hard cap at the claimed size: a header that lies about it fails here, bounded.
    let out: Buffer;
    try {
      out = inflateRawSync(bytes.subarray(start, start + packed), { maxOutputLength: Math.max(1, unpacked) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
        throw tooLarge(`${name} unpacks to more than the ${mb(unpacked)} its header claims`);
      if ((error as NodeJS.ErrnoException).errno === constants.Z_BUF_ERROR) throw corrupt(`entry ${name} is truncated`);
      throw corrupt(`entry ${name} does not unpack (${(error as Error).message})`);
    }
    if (out.length !== unpacked) throw corrupt(`entry ${name} unpacks to ${out.length} bytes, not the ${unpacked} its header claims`);
  }
}
