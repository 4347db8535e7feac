import { createRng } from '@elasticity/core';
import { symmetricEigen } from './dense-eigen.ts';
import type { Eigenpairs } from './dense-eigen.ts';
import type { SymmetricOperator } from './symmetric-operator.ts';

export interface BlockKrylovOptions {
  /** Seed of the random starting block. */
  seed: number;
  /** Vectors per block; default max(k + 8, 2k), capped at n. More vectors: fewer restarts, more work per restart. */
  blockSize?: number;
  /** Block Krylov steps per restart (the basis holds blockSize * (steps + 1) vectors); default 6. */
  steps?: number;
  /** Stop when every wanted residual ||A u - theta u|| <= tolerance * max |theta|; default 1e-8. */
  tolerance?: number;
  /** Restarts before giving up (the best Ritz pairs are returned with converged = false); default 100. */
  maxRestarts?: number;
}

export interface IterativeEigenpairs extends Eigenpairs {
  converged: boolean;
  restarts: number;
  /** Operator applications (vectors), the cost measure. */
  products: number;
  /** Largest relative residual of the returned pairs. */
  residual: number;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** v -= (v . u) u for every u of the basis, twice (classical Gram-Schmidt with re-orthogonalisation). */
function orthogonalizeAgainst(v: Float64Array, basis: Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (const u of basis) {
      const c = dot(v, u);
      if (c === 0) continue;
      for (let i = 0; i < v.length; i++) v[i] -= c * u[i];
    }
  }
}

/**
 * Orthonormalises `block` against `basis` and within itself; vectors that
 * lose nearly all their norm (already in the span) are dropped. Returns the
 * kept unit vectors.
 */
function orthonormalizeBlock(block: Float64Array[], basis: Float64Array[]): Float64Array[] {
  const kept: Float64Array[] = [];
  for (const v of block) {
    const before = Math.sqrt(dot(v, v));
    if (before === 0) continue;
    orthogonalizeAgainst(v, basis);
    orthogonalizeAgainst(v, kept);
    const after = Math.sqrt(dot(v, v));
    if (after <= 1e-10 * before) continue;
    for (let i = 0; i < v.length; i++) v[i] /= after;
    kept.push(v);
  }
  return kept;
}

/** Y = V S[:, 0..count-1] for a basis V (m vectors of length n) and an m x m coefficient matrix given by columns. */
function combine(vectors: Float64Array[], coefficients: Float64Array[], count: number, n: number): Float64Array[] {
  return coefficients.slice(0, count).map((s) => {
    const y = new Float64Array(n);
    vectors.forEach((v, r) => {
      const c = s[r];
      if (c !== 0) for (let i = 0; i < n; i++) y[i] += c * v[i];
    });
    return y;
  });
}

/**
 * The k algebraically largest eigenpairs of a symmetric operator by a
 * restarted block Krylov method with Rayleigh-Ritz: from a block X of b
 * orthonormal vectors build the basis V of span{X, AX, ..., A^s X} (block
 * Gram-Schmidt, twice), keep W = A V, take the eigenpairs of the small
 * matrix V^T A V = V^T W, and restart from the b leading Ritz vectors until
 * the k wanted residuals are below tolerance. Memory: 2 b (s + 1) vectors of
 * length n besides the operator; a block (b >= k) also finds repeated
 * eigenvalues, which single-vector Lanczos would not.
 */
export async function blockKrylovTopEigenpairs(op: SymmetricOperator, k: number, options: BlockKrylovOptions): Promise<IterativeEigenpairs> {
  const n = op.n;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k = ${k} must be in 1..${n}`);
  const b = Math.min(n, options.blockSize ?? Math.max(k + 8, 2 * k));
  if (b < k) throw new RangeError(`blockSize ${b} must be at least k = ${k}`);
  const steps = options.steps ?? 6;
  const tolerance = options.tolerance ?? 1e-8;
  const maxRestarts = options.maxRestarts ?? 100;
  const maxBasis = Math.min(n, b * (steps + 1));
  const rng = createRng(options.seed);

  let start = orthonormalizeBlock(Array.from({ length: b }, () => Float64Array.from({ length: n }, () => rng.normal())), []);
  let products = 0;
  let best: IterativeEigenpairs | undefined;
  for (let restart = 0; restart <= maxRestarts; restart++) {
    const v: Float64Array[] = [];
    const w: Float64Array[] = [];
    let block = start;
    while (block.length > 0) {
      const room = maxBasis - v.length;
      if (room <= 0) break;
      block = block.slice(0, room);
      const image = block.map(() => new Float64Array(n));
      await op.apply(block, image);
      products += block.length;
      v.push(...block);
      w.push(...image);
      if (v.length >= maxBasis) break;
      // The next block: A times the newest vectors, made orthonormal to the whole basis.
      block = orthonormalizeBlock(image.map((x) => Float64Array.from(x)), v);
    }
    // Rayleigh-Ritz on the basis: H = V^T A V (symmetrised against rounding).
    const m = v.length;
    const h = Array.from({ length: m }, () => new Float64Array(m));
    for (let r = 0; r < m; r++) {
      for (let c = r; c < m; c++) {
        const value = (dot(v[r], w[c]) + dot(v[c], w[r])) / 2;
        h[r][c] = value;
        h[c][r] = value;
      }
    }
    const small = symmetricEigen(h);
    const keep = Math.min(b, m);
    const ritz = combine(v, small.vectors, keep, n);
    const images = combine(w, small.vectors, keep, n);
    const scale = Math.max(Math.abs(small.values[0]), Math.abs(small.values[m - 1]), Number.MIN_VALUE);
    let residual = 0;
    for (let c = 0; c < k; c++) {
      const theta = small.values[c];
      let r2 = 0;
      for (let i = 0; i < n; i++) r2 += (images[c][i] - theta * ritz[c][i]) ** 2;
      residual = Math.max(residual, Math.sqrt(r2) / scale);
    }
    best = { values: small.values.slice(0, k), vectors: ritz.slice(0, k), converged: residual <= tolerance, restarts: restart, products, residual };
    // An invariant subspace (m < maxBasis with nothing left to add) is exact: no point restarting.
    if (best.converged || m < maxBasis) break;
    start = ritz;
  }
  return best!;
}
