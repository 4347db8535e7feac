import type { Rng } from '@elasticity/core';

/** One way of breaking a valid input. Each returns new bytes; the input is not changed. */
export type Mutation = (bytes: Uint8Array, rng: Rng) => Uint8Array;

/** A copy that owns its bytes (Buffer.slice would give a view and mutate the seed). */
const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);

const truncate: Mutation = (b, rng) => copy(b.subarray(0, rng.int(0, Math.max(0, b.length - 1))));

const flipBits: Mutation = (b, rng) => {
  const out = copy(b);
  const flips = rng.int(1, 8);
  for (let k = 0; k < flips && out.length > 0; k++) out[rng.int(0, out.length - 1)] ^= 1 << rng.int(0, 7);
  return out;
};

const setBytes: Mutation = (b, rng) => {
  const out = copy(b);
  const at = rng.int(0, Math.max(0, out.length - 1));
  const run = rng.int(1, 16);
  const value = [0x00, 0xff, 0x7f, 0x80][rng.int(0, 3)];
  for (let i = at; i < Math.min(out.length, at + run); i++) out[i] = value;
  return out;
};

/** Overwrites an aligned 32-bit word with a huge or negative size (declared lengths, dims, offsets). */
const hugeWord: Mutation = (b, rng) => {
  const out = copy(b);
  if (out.length < 4) return out;
  const at = rng.int(0, (out.length >> 2) - 1) * 4;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const value = [0x7fffffff, 0xffffffff, 0x40000000, 0x00010000, 0x80000000][rng.int(0, 4)];
  view.setUint32(at, value, rng.next() < 0.5);
  return out;
};

/** Writes a float32 NaN or Infinity somewhere (hits float columns and pixel bodies). */
const nonFinite: Mutation = (b, rng) => {
  const out = copy(b);
  if (out.length < 8) return out;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const at = rng.int(0, (out.length >> 2) - 1) * 4;
  if (rng.next() < 0.5) view.setFloat32(at, [Number.NaN, Infinity, -Infinity][rng.int(0, 2)], true);
  else if (at + 8 <= out.length) view.setFloat64(at, [Number.NaN, Infinity, -Infinity][rng.int(0, 2)], true);
  return out;
};

const insertGarbage: Mutation = (b, rng) => {
  const at = rng.int(0, b.length);
  const junk = Uint8Array.from({ length: rng.int(1, 64) }, () => rng.int(0, 255));
  const out = new Uint8Array(b.length + junk.length);
  out.set(b.subarray(0, at));
  out.set(junk, at);
  out.set(b.subarray(at), at + junk.length);
  return out;
};

const deleteRange: Mutation = (b, rng) => {
  if (b.length < 2) return copy(b);
  const at = rng.int(0, b.length - 1);
  const len = rng.int(1, Math.min(64, b.length - at));
  const out = new Uint8Array(b.length - len);
  out.set(b.subarray(0, at));
  out.set(b.subarray(at + len), at);
  return out;
};

const duplicateTail: Mutation = (b, rng) => {
  const extra = b.subarray(rng.int(0, Math.max(0, b.length - 1)));
  const out = new Uint8Array(b.length + extra.length);
  out.set(b);
  out.set(extra, b.length);
  return out;
};

export const MUTATIONS: Record<string, Mutation> = {
  truncate, flipBits, setBytes, hugeWord, nonFinite, insertGarbage, deleteRange, duplicateTail,
};

/** Applies 1-3 random mutations. Returns the bytes and the names applied. */
export function mutate(bytes: Uint8Array, rng: Rng): { bytes: Uint8Array; applied: string[] } {
  const names = Object.keys(MUTATIONS);
  const applied: string[] = [];
  let out = bytes;
  const rounds = rng.int(1, 3);
  for (let r = 0; r < rounds; r++) {
    const name = names[rng.int(0, names.length - 1)];
    out = MUTATIONS[name](out, rng);
    applied.push(name);
  }
  return { bytes: out, applied };
}
