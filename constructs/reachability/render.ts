/**
 * Plain-text rendering of a reachability matrix, for a CLI.
 */
import type { MatrixOptions, NetworkModel, ReachabilityMatrix } from './evaluator.js';

/** Options of {@link renderMatrix}. */
export interface RenderMatrixOptions extends MatrixOptions {
  /** Cell text for an allowed connection. @default '✔' */
  readonly allow?: string;
  /** Cell text for a denied connection. @default '✖' */
  readonly deny?: string;
  /** Append each denied cell's explanation under the table. @default false */
  readonly explain?: boolean;
}

/**
 * Renders a plain-text table: one row per source, one column per `destination:port`.
 *
 * Columns are as wide as their header; the output is deterministic for the same model and options.
 */
export function renderMatrix(model: NetworkModel | ReachabilityMatrix, options: RenderMatrixOptions = {}): string {
  const m = 'cells' in model ? model : model.matrix(options);
  const allow = options.allow ?? '✔';
  const deny = options.deny ?? '✖';
  const corner = 'from \\ to';
  const firstWidth = Math.max(corner.length, ...m.sources.map((s) => s.length));
  const widths = m.targets.map((t) => Math.max(t.length, allow.length, deny.length));
  const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - s.length));
  const line = (cells: string[]): string => cells.join(' | ').trimEnd();
  const out = [
    line([pad(corner, firstWidth), ...m.targets.map((t, i) => pad(t, widths[i]!))]),
    ['-'.repeat(firstWidth), ...widths.map((w) => '-'.repeat(w))].join('-+-'),
    ...m.sources.map((s, r) => line([pad(s, firstWidth), ...m.cells[r]!.map((v, i) => pad(v.allowed ? allow : deny, widths[i]!))])),
  ];
  if (options.explain) {
    const denied = m.cells.flat().filter((v) => !v.allowed);
    if (denied.length) out.push('', ...denied.map((v) => v.explanation));
  }
  return out.join('\n') + '\n';
}
