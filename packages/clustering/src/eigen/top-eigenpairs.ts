import { symmetrizeInPlace } from '@elasticity/core';
import { blockKrylovTopEigenpairs } from './block-krylov.ts';
import type { BlockKrylovOptions, IterativeEigenpairs } from './block-krylov.ts';
import { denseTopEigenpairs } from './dense-eigen.ts';
import type { SymmetricOperator } from './symmetric-operator.ts';

export type EigenSolver = 'auto' | 'dense' | 'iterative';

export interface TopEigenOptions extends BlockKrylovOptions {
  /** 'auto': dense up to `denseLimit` rows, iterative above. Default 'auto'. */
  solver?: EigenSolver;
  /** Largest n solved densely by 'auto'; default 300. */
  denseLimit?: number;
}

/** The operator as an explicit n x n matrix (applied to the identity), for the dense path at small n. */
async function materialize(op: SymmetricOperator): Promise<Float64Array> {
  const n = op.n;
  const out = new Float64Array(n * n);
  const BLOCK = 32;
  for (let c0 = 0; c0 < n; c0 += BLOCK) {
    const cols = Math.min(BLOCK, n - c0);
    const e = Array.from({ length: cols }, (_, c) => {
      const v = new Float64Array(n);
      v[c0 + c] = 1;
      return v;
    });
    const image = e.map(() => new Float64Array(n));
    await op.apply(e, image);
    image.forEach((col, c) => {
      for (let i = 0; i < n; i++) out[i * n + c0 + c] = col[i];
    });
  }
  // Symmetrise away rounding so the dense symmetric solver sees an exactly symmetric matrix.
  return symmetrizeInPlace(out, n);
}

/**
 * The k algebraically largest eigenpairs of a symmetric operator: a full
 * dense decomposition for small n, the restarted block Krylov solver for
 * large n (no n x n copy: at n = 10,000 only the operator's own matrix).
 */
export async function topEigenpairs(op: SymmetricOperator, k: number, options: TopEigenOptions): Promise<IterativeEigenpairs> {
  const solver = options.solver ?? 'auto';
  const dense = solver === 'dense' || (solver === 'auto' && op.n <= (options.denseLimit ?? 300));
  if (dense) {
    const r = denseTopEigenpairs(await materialize(op), op.n, k);
    return { ...r, converged: true, restarts: 0, products: op.n, residual: 0 };
  }
  return blockKrylovTopEigenpairs(op, k, options);
}
