/**
 * Line diffs for what is not a Kubernetes object (edge configs, reports, scripts) and for multi-line strings inside
 * one (a ConfigMap's config file): Myers' O(ND) algorithm, shown as unified hunks with three lines of context.
 */

/** One line of a diff: kept (' '), removed ('-') or added ('+'). */
export interface DiffLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

/** A unified hunk: its header (`@@ -a,b +c,d @@`) and lines. */
export interface Hunk {
  readonly header: string;
  readonly lines: readonly DiffLine[];
}

/** Split text into lines; a final newline does not make an empty last line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The edit script from `a` to `b`, shortest first (Myers 1986), kept lines included. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  // the common head and tail are kept lines: only the middle needs the search
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const kept = (lines: readonly string[]): DiffLine[] => lines.map((text) => ({ op: ' ', text }));
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  return [...kept(a.slice(0, head)), ...myers(midA, midB), ...kept(a.slice(a.length - tail))];
}

/** Above this many differing lines the search's memory (one frontier per step) is not worth it. */
const MYERS_LIMIT = 4000;

function myers(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n + m > MYERS_LIMIT || n === 0 || m === 0) {
    return [...a.map((text) => ({ op: '-' as const, text })), ...b.map((text) => ({ op: '+' as const, text }))];
  }
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d]: the furthest x on each diagonal k before step d
  const trace: Int32Array[] = [];
  search: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break search;
    }
  }
  const out: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      out.push({ op: ' ', text: a[x]! });
    }
    if (x === prevX) out.push({ op: '+', text: b[--y]! });
    else out.push({ op: '-', text: a[--x]! });
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    out.push({ op: ' ', text: a[x]! });
  }
  return out.reverse();
}

/** Unified hunks of the change from `before` to `after` (text), with `context` unchanged lines around each change. */
export function unifiedHunks(before: string, after: string, context = 3): Hunk[] {
  const lines = diffLines(splitLines(before), splitLines(after));
  const hunks: Hunk[] = [];
  let i = 0;
  // line numbers (1-based) of the next line on each side
  const posA: number[] = [];
  const posB: number[] = [];
  let la = 1;
  let lb = 1;
  for (const l of lines) {
    posA.push(la);
    posB.push(lb);
    if (l.op !== '+') la++;
    if (l.op !== '-') lb++;
  }
  while (i < lines.length) {
    if (lines[i]!.op === ' ') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // extend while the next change is within 2 × context kept lines
    for (;;) {
      while (end < lines.length && lines[end]!.op !== ' ') end++;
      let next = end;
      while (next < lines.length && lines[next]!.op === ' ') next++;
      if (next < lines.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(lines.length, end + context);
    const slice = lines.slice(start, stop);
    const countA = slice.filter((l) => l.op !== '+').length;
    const countB = slice.filter((l) => l.op !== '-').length;
    const startA = countA ? posA[start]! : posA[start]! - 1;
    const startB = countB ? posB[start]! : posB[start]! - 1;
    hunks.push({ header: `@@ -${startA},${countA} +${startB},${countB} @@`, lines: slice });
    i = stop;
  }
  return hunks;
}

/** The hunks as the text of a unified diff body (no file headers). */
export function hunksText(hunks: readonly Hunk[]): string {
  return hunks.map((h) => [h.header, ...h.lines.map((l) => `${l.op}${l.text}`)].join('\n')).join('\n');
}
