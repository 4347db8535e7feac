/** Human names of the inputs and methods, as the paper's Table 1 columns read. */
const INPUT_LABELS: Record<string, string> = {
  raw: 'pixels',
  pca: 'PCA',
  relative: 'relative similarity',
  kernelized: 'kernelized similarity',
  ntk: 'NTK',
};

const METHOD_LABELS: Record<string, string> = {
  kmeans: 'K-means',
  'kernel-kmeans': 'kernel K-means',
  spectral: 'spectral clustering',
};

export function methodLabel(input: string, method: string): string {
  const i = INPUT_LABELS[input] ?? input;
  const m = METHOD_LABELS[method] ?? method;
  if (input === 'raw') return `${m} on ${i}`;
  return `${i} + ${m}`;
}

const SHORT_INPUT_LABELS: Record<string, string> = { raw: 'pixels', pca: 'PCA', relative: 'relative', kernelized: 'kernelized', ntk: 'NTK' };

/** A narrow column header for the terminal: "K-means" (on pixels), "PCA · K-means", "relative · K-means", "kernelized · kernel K-means". */
export function shortMethodLabel(input: string, method: string): string {
  const m = METHOD_LABELS[method] ?? method;
  if (input === 'raw') return m;
  return `${SHORT_INPUT_LABELS[input] ?? input} · ${m}`;
}
