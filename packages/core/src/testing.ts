/**
 * What the workspace's tests share: the entry `@elasticity/core/testing`.
 * No stage imports it.
 */
export { withTempDir } from './testing/temp-dir.ts';
export { rowRelativeError } from './testing/row-relative-error.ts';
export { worstRelativeError } from './testing/product-error.ts';
