import { mlpNetFromDense } from '@elasticity/mlp-engine';
import type { DenseMlp, MlpNet } from '@elasticity/mlp-engine';
import type { EtaSetting } from './eta.ts';
import { layerwiseNetProbe } from './layerwise-probe.ts';
import type { NetProbeOptions } from './layerwise-probe.ts';
import { hasMatrixForm, matrixNetProbe } from './matrix-probe.ts';
import type { MatrixProbeOptions } from './matrix-probe.ts';
import type { ProbeLoss } from './probe-loss.ts';
import type { ProbeExamples, ProbeResult } from './probe-result.ts';

/** onRow is called per row on the layer-by-layer path, onPhase per phase on the batched one. */
export type FastProbeOptions = NetProbeOptions & Pick<MatrixProbeOptions, 'onPhase' | 'precisionRows'>;

/**
 * The exact fast probe of any model of the MLP family. Reset mode of the
 * 1-layer model and of 2-layer ReLU / linear MLPs: a few matrix products
 * (matrixNetProbe). Everything else (sigmoid hidden layers, 3-layer and
 * residual MLPs, online mode): layer by layer, with no pass through the
 * first layer (layerwiseNetProbe). Both compute each change term by term in
 * float64. Returns the weights after the last step too (online mode).
 */
export async function fastNetProbe(
  net: MlpNet, ex: ProbeExamples, loss: ProbeLoss, eta: EtaSetting | ArrayLike<number>, options: FastProbeOptions = {},
): Promise<{ result: ProbeResult; net: MlpNet }> {
  if ((options.mode ?? 'reset') === 'reset' && hasMatrixForm(net)) return { result: await matrixNetProbe(net, ex, loss, eta, options), net };
  return layerwiseNetProbe(net, ex, loss, eta, options);
}

/** fastNetProbe (reset mode) of a 2-layer DenseMlp. */
export async function fastMlpProbe(
  mlp: DenseMlp, ex: ProbeExamples, loss: ProbeLoss, eta: EtaSetting | ArrayLike<number>, options: Omit<FastProbeOptions, 'mode'> = {},
): Promise<ProbeResult> {
  return (await fastNetProbe(mlpNetFromDense(mlp), ex, loss, eta, options)).result;
}
