import { threeLayerSpec } from './three-layer-mlp.ts';

/** d - H - H - 1 with ReLU, squared loss (paper H = 8192). */
export const MLPNet3Layer = threeLayerSpec('MLPNet3Layer', 'relu', 'Linear(d,H) - ReLU - Linear(H,H) - ReLU - Linear(H,1), squared loss (paper H = 8192)');
