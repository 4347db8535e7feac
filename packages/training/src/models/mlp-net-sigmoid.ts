import { twoLayerSpec } from './two-layer-mlp.ts';

/** Linear(d,H) - sigmoid - Linear(H,1), squared loss (paper H = 40960) */
export const MLPNetSigmoid = twoLayerSpec('MLPNetSigmoid', 'sigmoid', false, 'Linear(d,H) - sigmoid - Linear(H,1), squared loss (paper H = 40960)');
