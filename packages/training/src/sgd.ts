import { tf } from '@elasticity/core/tf';

/** The model's trainable variables, in layer order (kernel, bias, ...). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * One step of plain SGD (no momentum, no weight decay):
 * w <- w - lr * d(lossOf())/dw for every variable in `vars`.
 * `lossOf` must return the batch-mean loss. The gradient is taken of
 * lr * loss, so lr enters through the (small) output gradient and each
 * variable costs one subtraction pass (equal to w - lr * g up to float
 * rounding). Returns the loss before the step (the caller owns and disposes
 * it); every other tensor is freed.
 */
export function sgdStep(vars: tf.Variable[], lossOf: () => tf.Scalar, lr: number): tf.Scalar {
  return tf.tidy(() => {
    let loss: tf.Scalar | undefined;
    const { grads } = tf.variableGrads(() => {
      loss = tf.keep(lossOf());
      return tf.mul(loss, lr) as tf.Scalar;
    }, vars);
    for (const v of vars) {
      const g = grads[v.name];
      if (g === undefined) throw new Error(`no gradient for variable ${v.name}`);
      v.assign(tf.sub(v, g));
    }
    return loss!;
  });
}
