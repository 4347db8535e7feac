import { tf } from '@elasticity/core/tf';

/**
 * The backend to take gradients of `model` on. TensorFlow.js's wasm
 * backend (4.22) has no Conv2DBackpropFilter kernel, so convolution
 * weights cannot be differentiated there: such models take their
 * gradients on the cpu backend (tensors move between backends on use).
 * Every other model stays on the current backend.
 */
export function gradientBackendFor(model: tf.LayersModel): string {
  const current = tf.getBackend();
  const convolutional = model.layers.some((l) => /^(Conv1D|Conv2D|Conv3D|DepthwiseConv2D|SeparableConv2D)$/.test(l.getClassName()));
  if (convolutional && tf.getKernel('Conv2DBackpropFilter', current) === undefined) return 'cpu';
  return current;
}

/** Runs `work` with `backend` as TensorFlow.js's current backend, then switches back. */
export async function onBackend<T>(backend: string, work: () => T | Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  if (previous === backend) return work();
  await tf.setBackend(backend);
  try {
    return await work();
  } finally {
    await tf.setBackend(previous);
  }
}
