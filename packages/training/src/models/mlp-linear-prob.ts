import { twoLayerSpec } from './two-layer-mlp.ts';

/** Linear(d,H) - Linear(H,1) - sigmoid, binary cross-entropy (paper H = 40960) */
export const MLPLinearProb = twoLayerSpec('MLPLinearProb', 'linear', true, 'Linear(d,H) - Linear(H,1) - sigmoid, binary cross-entropy (paper H = 40960)');
