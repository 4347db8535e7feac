import type { TopLevelSpec } from 'vega-lite';

/** Shared look of every figure. */
export const FIGURE_CONFIG = {
  // No ARIA attributes on every mark: keeps scatter plots of thousands of pairs small.
  aria: false,
  font: 'sans-serif',
  background: 'white',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 13, anchor: 'start' },
} as const;

/** vega and vega-lite, loaded by the first figure (about 0.25 s of start-up that commands drawing nothing do not pay). */
let vegaModules: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

/**
 * Renders a vega-lite spec to an SVG string in Node, without a browser or a
 * canvas: vega-lite compiles it to vega, vega's headless view draws it.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  vegaModules ??= Promise.all([import('vega'), import('vega-lite')]);
  const [vega, { compile }] = await vegaModules;
  const compiled = compile({ ...spec, config: { ...FIGURE_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
  try {
    return roundGeometry(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Geometry attributes rounded to 1/100 px: vega writes 15 digits, which makes scatter plots of thousands of points needlessly big. */
export function roundGeometry(svg: string): string {
  return svg.replace(/\b(transform|d|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g, (_, name: string, value: string) =>
    `${name}="${value.replace(/-?\d*\.\d{3,}(e-?\d+)?/g, (n) => String(Math.round(Number(n) * 100) / 100))}"`);
}

/** The same SVG for inlining into HTML: no XML namespace attributes (HTML needs none, and the report holds no URLs). */
export function inlineSvg(svg: string): string {
  return svg.replace(/\s+xmlns(:\w+)?="[^"]*"/g, '');
}
