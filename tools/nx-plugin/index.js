import { tsImport } from 'tsx/esm/api';
const { createNodesV2 } = await tsImport('./plugin.ts', import.meta.url);
export { createNodesV2 };
