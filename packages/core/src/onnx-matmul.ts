// (the declarations of the optional onnxruntime-node, which ships none, for every package that typechecks this file)
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./onnxruntime-node.d.ts" />

/**
 * A protobuf-encoded ONNX model with one MatMul node, C = A B, of float32
 * inputs A (m x k) and B (k x n) with symbolic sizes (IR version 8, opset 13).
 * Fields by number, as in onnx.proto: ModelProto {1 ir_version, 8 opset_import
 * {1 domain, 2 version}, 7 graph {1 node {1 input, 2 output, 4 op_type},
 * 2 name, 11 input, 12 output}}, ValueInfoProto {1 name, 2 type {1 tensor_type
 * {1 elem_type (1: float), 2 shape {1 dim {2 dim_param}}}}}.
 */
function matMulModel(): Uint8Array {
  const utf8 = new TextEncoder();
  const varint = (v: number): number[] => {
    const out: number[] = [];
    for (; v > 127; v = Math.floor(v / 128)) out.push((v & 127) | 128);
    out.push(v);
    return out;
  };
  const bytes = (field: number, payload: number[]): number[] => [...varint((field << 3) | 2), ...varint(payload.length), ...payload];
  const text = (field: number, s: string): number[] => bytes(field, [...utf8.encode(s)]);
  const int = (field: number, v: number): number[] => [...varint(field << 3), ...varint(v)];
  const matrix = (name: string, rows: string, cols: string): number[] => [
    ...text(1, name),
    ...bytes(2, bytes(1, [...int(1, 1), ...bytes(2, [...bytes(1, text(2, rows)), ...bytes(1, text(2, cols))])])),
  ];
  const node = [...text(1, 'A'), ...text(1, 'B'), ...text(2, 'C'), ...text(4, 'MatMul')];
  const graph = [...bytes(1, node), ...text(2, 'matmul'), ...bytes(11, matrix('A', 'm', 'k')), ...bytes(11, matrix('B', 'k', 'n')), ...bytes(12, matrix('C', 'm', 'n'))];
  return Uint8Array.from([...int(1, 8), ...bytes(8, [...text(1, ''), ...int(2, 13)]), ...bytes(7, graph)]);
}

/**
 * Which kernel float32 products run on: 'onnx' (ONNX Runtime's MatMul,
 * onnxruntime-node, an optional dependency), 'tfjs' (TensorFlow.js), or
 * 'auto': onnx where onnxruntime-node is installed, else tfjs.
 */
export type KernelChoice = 'auto' | 'onnx' | 'tfjs';
export const KERNEL_CHOICES: KernelChoice[] = ['auto', 'onnx', 'tfjs'];

/** ONNX Runtime's CPU MatMul (MLAS), writing into the caller's buffer. */
export interface OnnxMatMul {
  /**
   * out = A B in float32 (A: m x k, B: k x n, out: m x n, row-major; out is
   * written in place, no copy). The arrays must not live in shared memory.
   */
  into(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): Promise<void>;
  /** Ends the session; a thread must release its sessions before it ends. */
  release(): Promise<void>;
}

/**
 * A session of ONNX Runtime's MatMul on `threads` threads (default 1: the
 * caller's workers are the parallelism); undefined when onnxruntime-node,
 * an optional dependency, is not installed. onnxruntime-node 1.17 does not
 * survive worker threads that load it and end while the process goes on
 * (the next ones crash: heap corruption, or "Module did not self-register"),
 * so a thread that opens a session must live as long as the process: the
 * product workers (@elasticity/mlp-engine) do; training runs ONNX Runtime in
 * the main thread.
 */
export async function openOnnxMatMul(threads = 1): Promise<OnnxMatMul | undefined> {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch {
    return undefined;
  }
  const session = await ort.InferenceSession.create(matMulModel(), { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' });
  return {
    into: async (a, b, m, k, n, out) => {
      if (a.length < m * k || b.length < k * n || out.length < m * n) throw new Error(`MatMul ${m}x${k} by ${k}x${n}: an operand is too short`);
      const view = (v: Float32Array, size: number): Float32Array => (v.length === size ? v : v.subarray(0, size));
      await session.run(
        { A: new ort.Tensor('float32', view(a, m * k), [m, k]), B: new ort.Tensor('float32', view(b, k * n), [k, n]) },
        { C: new ort.Tensor('float32', view(out, m * n), [m, n]) },
      );
    },
    release: () => session.release(),
  };
}
