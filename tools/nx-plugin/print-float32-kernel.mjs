/**
 * The `runtime` input of the train, probe and ntk stages: prints the float32
 * kernel their products would run on and, for ONNX Runtime, the x86 vector
 * level it dispatches on, e.g. "float32-kernel=onnx cpu=avx2" or
 * "float32-kernel=tfjs".
 *
 * The kernel follows 'auto' (packages/core/src/onnx-matmul.ts, used by
 * mlp-engine's float32-kernel.ts and training's train.kernel): ONNX
 * Runtime's MLAS MatMul where onnxruntime-node loads, else TensorFlow.js.
 * The two agree to float32 rounding, not bit for bit, so a cache shared by
 * machines with and without onnxruntime-node must keep their trained models
 * and probe and NTK matrices apart; MLAS also picks its GEMM kernel by the
 * CPU's instruction set.
 *
 * Plain JavaScript, so Node starts it without tsx; Nx runs it once per `nx`
 * process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch } from 'node:os';
import { join } from 'node:path';

/** Whether onnxruntime-node loads, resolved from core's package as onnx-matmul.ts imports it. */
function onnxLoads() {
  const require = createRequire(join(process.cwd(), 'packages/core/src/onnx-matmul.ts'));
  try {
    require('onnxruntime-node');
    return true;
  } catch {
    return false;
  }
}

/** The widest vector instruction set MLAS can dispatch on here: avx512, avx2, avx, sse (x64 Linux), else the architecture. */
function vectorLevel() {
  if (arch() !== 'x64') return arch();
  let flags;
  try {
    flags = new Set((/^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').split(/\s+/));
  } catch {
    return 'x64';
  }
  if (flags.size <= 1) return 'x64';
  if (flags.has('avx512f')) return 'avx512';
  if (flags.has('avx2') && flags.has('fma')) return 'avx2';
  return flags.has('avx') ? 'avx' : 'sse';
}

process.stdout.write(onnxLoads() ? `float32-kernel=onnx cpu=${vectorLevel()}\n` : 'float32-kernel=tfjs\n');
