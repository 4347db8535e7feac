/**
 * Helpers for this package's tests only (not exported from index.ts): the
 * shared random MLP-family networks of core.
 */
export { randomNet, zooNets, netToModel } from '@elasticity/mlp-engine';
