/** Loss of the trained model, as recorded by the train stage. */
export type ProbeLoss = 'mse' | 'bce';

/**
 * l' = dL/d(output) at one example:
 * squared loss (f - y)^2 (PyTorch MSELoss on one example): 2 (f - y);
 * binary cross-entropy on a sigmoid output p: (p - y) / (p (1 - p)).
 * `oneMinusOutput` may carry 1 - p computed without cancellation.
 */
export function lossSlope(loss: ProbeLoss, output: number, y: number, oneMinusOutput = 1 - output): number {
  if (loss === 'mse') return 2 * (output - y);
  const pMinusY = y === 1 ? -oneMinusOutput : output - y;
  return pMinusY / (output * oneMinusOutput);
}
