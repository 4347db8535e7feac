import { createHash, timingSafeEqual } from 'node:crypto';

/** What a request's bearer token allows: `write` (the token T) also reads; `read` (the read-only token R) only reads. */
export type Access = 'write' | 'read';

export interface CacheTokens {
  /** May read and write. */
  write: string;
  /** May only read (for forks and people who should not publish entries). */
  read?: string;
}

const BEARER = /^Bearer +([^\s]+) *$/i;

/** Digests both sides first so that the comparison takes the same time whatever the lengths. */
function sameSecret(candidate: string, secret: string): boolean {
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

/**
 * The access an `Authorization` header grants, or undefined (no header, a
 * scheme other than Bearer, an unknown token). Both tokens are always
 * compared, in constant time.
 */
export function accessOf(authorization: string | undefined, tokens: CacheTokens): Access | undefined {
  const match = BEARER.exec(authorization ?? '');
  const candidate = match ? match[1] : '';
  const isWrite = sameSecret(candidate, tokens.write);
  const isRead = tokens.read !== undefined && sameSecret(candidate, tokens.read);
  if (!match) return undefined;
  if (isWrite) return 'write';
  if (isRead) return 'read';
  return undefined;
}

/** Why a token cannot be used (empty, too short, characters a header cannot carry), or undefined when it can. */
export function tokenProblem(token: string): string | undefined {
  if (token.length < 16) return 'must be at least 16 characters (e.g. the output of `openssl rand -hex 32`)';
  if (!/^[\x21-\x7e]+$/.test(token)) return 'must be printable ASCII without spaces (it travels in an HTTP header)';
  return undefined;
}
