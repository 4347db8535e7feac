import { twoLayerSpec } from './two-layer-mlp.ts';

/** Linear(d,H) - Linear(H,1), squared loss (paper H = 40960) */
export const MLPLinear = twoLayerSpec('MLPLinear', 'linear', false, 'Linear(d,H) - Linear(H,1), squared loss (paper H = 40960)');
