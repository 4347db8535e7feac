/** What one pass over the data reports to the training loop. */
export interface EpochStats {
  /** Sum over the epoch's steps of (batch-mean loss before the step) x (batch size). */
  lossSum: number;
  /** Examples classified right by the forward passes of the epoch's steps. */
  correct: number;
  /** Set when a step's loss was NaN or infinite: training stopped there (1-based step). */
  diverged?: { step: number; loss: number };
}

/** The rows of step `step` (1-based) of an epoch walking `order` in batches of `batch`. */
export function batchRows(order: Int32Array, batch: number, step: number): Int32Array {
  return order.subarray((step - 1) * batch, Math.min(order.length, step * batch));
}
