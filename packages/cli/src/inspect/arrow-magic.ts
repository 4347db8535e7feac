import { ElasticityError } from '@elasticity/core/light';

/** Arrow IPC file format: "ARROW1" at the start (then 2 padding bytes) and at the end. */
const FILE_MAGIC = 'ARROW1';
/** Arrow IPC stream format: each message begins with the continuation marker 0xFFFFFFFF. */
const CONTINUATION = 0xffffffff;

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(Math.max(0, from), Math.max(0, to)));
}

/** The first 16 bytes of a file, quoted, each one that is not printable ASCII shown as "·". */
function opening(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 16));
  return `'${text.replace(/[^\x20-\x7e]/g, '·')}'`;
}

/**
 * Checks the framing of Arrow IPC bytes before they are decoded, so that an
 * empty file, a file of another format and a truncated Arrow file each get
 * one line saying which (the decoder's own messages name its internals).
 */
export function checkArrowFraming(bytes: Uint8Array, file: string): void {
  if (bytes.byteLength === 0) throw new ElasticityError('not an Arrow IPC file: it is empty (0 bytes)', { file, field: 'arrow' });
  const isFile = ascii(bytes, 0, FILE_MAGIC.length) === FILE_MAGIC;
  const isStream = bytes.byteLength >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === CONTINUATION;
  if (!isFile && !isStream) {
    throw new ElasticityError(`not an Arrow IPC file: it begins with ${opening(bytes)} where an Arrow file begins with "${FILE_MAGIC}"`, { file, field: 'arrow' });
  }
  if (isFile && (bytes.byteLength < 2 * FILE_MAGIC.length + 2 || ascii(bytes, bytes.byteLength - FILE_MAGIC.length, bytes.byteLength) !== FILE_MAGIC)) {
    throw new ElasticityError(`not a readable Arrow IPC file: truncated (${bytes.byteLength} bytes; the closing "${FILE_MAGIC}" is missing)`, { file, field: 'arrow' });
  }
}
