import { threeLayerSpec } from './three-layer-mlp.ts';

/** d - H - H - 1 without activations, squared loss (paper H = 8192). */
export const MLPLinear3Layer = threeLayerSpec('MLPLinear3Layer', 'linear', 'Linear(d,H) - Linear(H,H) - Linear(H,1), squared loss (paper H = 8192)');
