/**
 * Random MLP-family networks with float32-representable weights, for tests
 * and benchmarks: a tfjs model built from one (netToModel) holds exactly the
 * same numbers as the float64 description.
 */
import type { Rng } from '@elasticity/core';
import type { HiddenActivation } from './dense-mlp.ts';
import type { MlpNet } from './mlp-net.ts';

/** A random MlpNet with float32-representable weights (so tfjs models hold exactly the same numbers). */
export function randomNet(
  rng: Rng, d: number, widths: number[], activations: HiddenActivation[], options: { readout?: 'last' | 'sum'; sigmoidOutput?: boolean; scale?: number } = {},
): MlpNet {
  const scale = options.scale ?? 1;
  const u = (s: number) => Math.fround(rng.uniform(-s, s));
  let inputs = d;
  const layers = widths.map((units, l) => {
    const s = scale / Math.sqrt(inputs);
    const layer = {
      inputs, units, activation: activations[l],
      W: Float64Array.from({ length: units * inputs }, () => u(s)), b: Float64Array.from({ length: units }, () => u(s)),
    };
    inputs = units;
    return layer;
  });
  return {
    d, layers, readout: options.readout ?? 'last', sigmoidOutput: options.sigmoidOutput ?? false,
    a: Float64Array.from({ length: inputs }, () => u(scale / Math.sqrt(inputs))), c: u(scale / Math.sqrt(inputs)),
  };
}

/** Every MLP-family topology of the zoo contract (small), as random MlpNets. */
export function zooNets(rng: Rng, d: number, h: number): Record<string, MlpNet> {
  return {
    MLPNet: randomNet(rng, d, [h], ['relu']),
    MLPProb: randomNet(rng, d, [h], ['relu'], { sigmoidOutput: true }),
    MLPLinear: randomNet(rng, d, [h], ['linear']),
    MLPLinearProb: randomNet(rng, d, [h], ['linear'], { sigmoidOutput: true }),
    MLPNetSigmoid: randomNet(rng, d, [h], ['sigmoid']),
    MLPLinear1Layer: randomNet(rng, d, [], []),
    MLPNet3Layer: randomNet(rng, d, [h, h + 1], ['relu', 'relu']),
    MLPLinear3Layer: randomNet(rng, d, [h, h + 1], ['linear', 'linear']),
    ResNet: randomNet(rng, d, [h, h], ['relu', 'relu'], { readout: 'sum' }),
  };
}


/**
 * f(x) of an MlpNet straight from the definition, in plain float64 with
 * arrays (independent of the library's forward passes): the reference that
 * tests compare the fast paths and finite differences against.
 */
export function definitionOutput(net: MlpNet, x: ArrayLike<number>, off: number): number {
  let z = Array.from({ length: net.d }, (_, p) => x[off + p]);
  const acts: number[][] = [];
  for (const l of net.layers) {
    z = Array.from({ length: l.units }, (_, k) => {
      let v = l.b[k];
      for (let p = 0; p < l.inputs; p++) v += l.W[k * l.inputs + p] * z[p];
      return l.activation === 'relu' ? Math.max(v, 0) : l.activation === 'linear' ? v : 1 / (1 + Math.exp(-v));
    });
    acts.push(z);
  }
  const r = net.readout === 'sum' ? acts.reduce((s, v) => s.map((t, k) => t + v[k])) : z;
  const logit = r.reduce((s, v, k) => s + net.a[k] * v, net.c);
  return net.sigmoidOutput ? 1 / (1 + Math.exp(-logit)) : logit;
}
