import { twoLayerSpec } from './two-layer-mlp.ts';

/** Linear(d,H) - ReLU - Linear(H,1) - sigmoid, binary cross-entropy (paper H = 40960) */
export const MLPProb = twoLayerSpec('MLPProb', 'relu', true, 'Linear(d,H) - ReLU - Linear(H,1) - sigmoid, binary cross-entropy (paper H = 40960)');
