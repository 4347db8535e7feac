/**
 * The part of onnxruntime-node's API onnx-matmul.ts uses.
 * onnxruntime-node 1.17.0 ships no declaration files (its package.json names
 * dist/index.d.ts, which the package lacks); declared here, it also
 * typechecks where the optional package is not installed.
 */
declare module 'onnxruntime-node' {
  export class Tensor {
    constructor(type: 'float32', data: Float32Array, dims: readonly number[]);
    readonly data: Float32Array;
    readonly dims: readonly number[];
  }
  export interface SessionOptions {
    intraOpNumThreads?: number;
    interOpNumThreads?: number;
    executionMode?: 'sequential' | 'parallel';
  }
  export class InferenceSession {
    static create(model: Uint8Array, options?: SessionOptions): Promise<InferenceSession>;
    /** fetches: pre-allocated outputs, written in place. */
    run(feeds: Record<string, Tensor>, fetches?: Record<string, Tensor>): Promise<Record<string, Tensor>>;
    release(): Promise<void>;
  }
}
