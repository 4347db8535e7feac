/**
 * The hash format Nx sends in /v1/cache/{hash}: a task hash is an xxh3-64
 * digest printed in decimal (Nx 23 native hasher), so 1 to 20 ASCII digits.
 * Nothing else is a cache key: no dots, no slashes, no escapes, no letters,
 * so a valid hash can never name a path outside the store's folder.
 */
const NX_HASH = /^[0-9]{1,20}$/;

export function isNxHash(value: string): boolean {
  return NX_HASH.test(value);
}
