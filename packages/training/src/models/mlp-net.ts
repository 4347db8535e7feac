import { twoLayerSpec } from './two-layer-mlp.ts';

/** Linear(d,H) - ReLU - Linear(H,1), squared loss (paper H = 40960) */
export const MLPNet = twoLayerSpec('MLPNet', 'relu', false, 'Linear(d,H) - ReLU - Linear(H,1), squared loss (paper H = 40960)');
