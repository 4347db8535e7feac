import { openOnnxMatMul } from '@elasticity/core';
import type { ShardKernel, ShardWeights, TwoLayerShape, TwoLayerShard } from './two-layer-shard.ts';
import { OnnxTwoLayerShard } from './two-layer-shard-onnx.ts';
import { TfjsTwoLayerShard } from './two-layer-shard-tfjs.ts';

/**
 * Which kernel a choice means here: 'tfjs'; 'onnx' (an error when
 * onnxruntime-node is not installed); 'auto': onnx where onnxruntime-node
 * is installed (an optional dependency), else tfjs.
 */
export async function resolveShardKernel(choice: 'auto' | ShardKernel): Promise<ShardKernel> {
  if (choice === 'tfjs') return 'tfjs';
  const session = await openOnnxMatMul();
  await session?.release();
  if (session) return 'onnx';
  if (choice === 'onnx') throw new Error('the training kernel "onnx" needs onnxruntime-node, which is not installed');
  return 'tfjs';
}

/** A shard of the given weights on the given kernel (batch: examples per step; threads: ONNX Runtime's, for 'onnx'). */
export async function openTwoLayerShard(weights: ShardWeights, shape: TwoLayerShape, kernel: ShardKernel, batch: number, threads = 1): Promise<TwoLayerShard> {
  if (kernel === 'tfjs') return new TfjsTwoLayerShard(weights, shape);
  const shard = await OnnxTwoLayerShard.open(weights, shape, { batch, threads });
  if (!shard) throw new Error('the training kernel "onnx" needs onnxruntime-node, which is not installed');
  return shard;
}
