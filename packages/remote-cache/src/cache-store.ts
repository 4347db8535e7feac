import type { Readable } from 'node:stream';

/** The outcome of reading an entry: its bytes, nothing, or bytes that no longer match their recorded SHA-256. */
export type GetResult =
  | { status: 'found'; size: number; body: Readable }
  | { status: 'missing' }
  | { status: 'corrupt'; reason: string };

/** The outcome of storing an entry: stored (first writer), or already there (a later writer: entries are never replaced). */
export type PutResult = { status: 'stored'; size: number; sha256: string } | { status: 'exists' };

export interface PutLimits {
  /** Refuse (BodyTooLargeError) once more than this many bytes arrive. */
  maxBytes: number;
  /** The declared length (Content-Length): a body of any other length is refused (BodyLengthError). */
  expectedBytes?: number;
}

/**
 * Where cache entries live. Keys are Nx hashes (see isNxHash); a store refuses
 * anything else. An entry appears whole or not at all, is never replaced while
 * sound, and is served only while its bytes match the SHA-256 recorded when it
 * was stored (get reports 'corrupt' once and drops it).
 */
export interface CacheStore {
  has(hash: string): Promise<boolean>;
  get(hash: string): Promise<GetResult>;
  put(hash: string, body: AsyncIterable<Uint8Array>, limits: PutLimits): Promise<PutResult>;
}

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`body larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

export class BodyLengthError extends Error {
  constructor(readonly received: number, readonly declared: number) {
    super(`body has ${received} bytes, ${declared} declared`);
    this.name = 'BodyLengthError';
  }
}
