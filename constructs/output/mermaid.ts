/**
 * Mermaid flowcharts for the reports, built so that whatever names the user gives, the diagram parses and reads the
 * same on every run:
 * - node ids are made from a key (`route:argocd.example.com`) by keeping `[a-z0-9]` and turning everything else into
 *   `_`, behind a prefix that no Mermaid keyword (`end`, `graph`, `style`, ...) shares; keys that come out the same
 *   get a short hash of the key each, so ids never depend on the order nodes were added in;
 * - every label is a quoted string with Mermaid's entity codes for the characters that would end or change it
 *   (`"`, `#`, `<`, `>`, `|`, backticks), so host names with dots, addresses, slashes and free text are safe;
 * - nodes, subgraphs and edges are written in the order added, each once: callers add them sorted.
 *
 * @see https://mermaid.js.org/syntax/flowchart.html
 */
import { createHash } from 'node:crypto';

/** Node shapes the reports use. */
export type Shape = 'box' | 'round' | 'circle' | 'stadium' | 'cylinder' | 'hexagon';

const SHAPES: Record<Shape, readonly [string, string]> = {
  box: ['[', ']'],
  round: ['(', ')'],
  circle: ['((', '))'],
  stadium: ['([', '])'],
  cylinder: ['[(', ')]'],
  hexagon: ['{{', '}}'],
};

const ENTITIES: Record<string, string> = {
  '#': '#35;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '|': '#124;',
  '`': '#96;',
};

/**
 * A label as Mermaid reads it inside double quotes: the characters that would end the string, start an entity, open
 * HTML or a Markdown string, or end an edge label are written as entity codes; line breaks become spaces. Lines of an
 * array are joined with `<br/>`, which GitHub shows as a line break.
 */
export function mermaidLabel(text: string | readonly string[]): string {
  const lines = typeof text === 'string' ? [text] : text;
  return lines.map((l) => l.replace(/[\r\n\t]+/g, ' ').replace(/[#"<>|`]/g, (c) => ENTITIES[c]!)).join('<br/>');
}

interface NodeEntry {
  readonly key: string;
  readonly label: string | readonly string[];
  readonly shape: Shape;
}

interface SubgraphEntry {
  readonly key: string;
  readonly label: string | readonly string[];
  readonly members: string[];
}

interface EdgeEntry {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly dotted: boolean;
}

/** The id part of a key: lower-case letters, digits and single underscores. */
function slug(key: string): string {
  return (
    key
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'x'
  );
}

/** A flowchart under construction. Nodes, subgraphs and edges refer to each other by key. */
export class Flowchart {
  private readonly nodes = new Map<string, NodeEntry>();
  private readonly subgraphs = new Map<string, SubgraphEntry>();
  private readonly edges: EdgeEntry[] = [];
  private readonly edgeKeys = new Set<string>();
  private readonly placed = new Set<string>();

  public constructor(private readonly direction: 'LR' | 'TB' = 'LR') {}

  /** Add a node (once: a second call with the same key keeps the first). Returns the key. */
  public node(key: string, label: string | readonly string[], shape: Shape = 'box'): string {
    if (this.subgraphs.has(key)) throw new Error(`${key} is a subgraph of the diagram, not a node`);
    if (!this.nodes.has(key)) this.nodes.set(key, { key, label, shape });
    return key;
  }

  /** Add a subgraph (once per key), or return the one with that key; nodes are placed in it with {@link place}. */
  public subgraph(key: string, label: string | readonly string[]): string {
    if (this.nodes.has(key)) throw new Error(`${key} is a node of the diagram, not a subgraph`);
    if (!this.subgraphs.has(key)) this.subgraphs.set(key, { key, label, members: [] });
    return key;
  }

  /** Put a node in a subgraph; a node sits in one subgraph at most (the first it was placed in). */
  public place(subgraph: string, node: string): void {
    const s = this.subgraphs.get(subgraph);
    if (!s) throw new Error(`no subgraph ${subgraph}`);
    if (this.placed.has(node)) return;
    this.placed.add(node);
    s.members.push(node);
  }

  /** Add an edge (once per from, to and label); a dotted edge is drawn `-.->`. */
  public edge(from: string, to: string, label?: string, options: { dotted?: boolean } = {}): void {
    const id = JSON.stringify([from, to, label ?? null, options.dotted ?? false]);
    if (this.edgeKeys.has(id)) return;
    this.edgeKeys.add(id);
    this.edges.push({ from, to, ...(label !== undefined ? { label } : {}), dotted: options.dotted ?? false });
  }

  /** True when at least one edge was added. */
  public get hasEdges(): boolean {
    return this.edges.length > 0;
  }

  /** The diagram's Mermaid source (without the fence). Throws when an edge or subgraph names an unknown key. */
  public render(): string {
    const ids = this.ids();
    const id = (key: string): string => {
      const found = ids.get(key);
      if (found === undefined) throw new Error(`the diagram has no node or subgraph ${key}`);
      return found;
    };
    const nodeLine = (n: NodeEntry, indent: string) => {
      const [open, close] = SHAPES[n.shape];
      return `${indent}${id(n.key)}${open}"${mermaidLabel(n.label)}"${close}`;
    };
    const lines = [`flowchart ${this.direction}`];
    for (const n of this.nodes.values()) if (!this.placed.has(n.key)) lines.push(nodeLine(n, '  '));
    const linked = new Set(this.edges.flatMap((e) => [e.from, e.to]));
    for (const s of this.subgraphs.values()) {
      // an empty box says nothing: a subgraph without members is left out, unless an edge points at it
      if (!s.members.length && !linked.has(s.key)) continue;
      lines.push(`  subgraph ${id(s.key)}["${mermaidLabel(s.label)}"]`);
      for (const m of s.members) {
        const n = this.nodes.get(m);
        if (!n) throw new Error(`the diagram has no node ${m}`);
        lines.push(nodeLine(n, '    '));
      }
      lines.push('  end');
    }
    for (const e of this.edges) {
      const arrow = e.dotted ? '-.->' : '-->';
      lines.push(`  ${id(e.from)} ${arrow}${e.label !== undefined ? `|"${mermaidLabel(e.label)}"|` : ''} ${id(e.to)}`);
    }
    return lines.join('\n');
  }

  /**
   * Ids for every key: `n_<slug>` for nodes, `g_<slug>` for subgraphs; where two keys give one id, each of them gets
   * `_<hash>` of its own key, so an id depends only on the keys of the diagram, never on the order they came in.
   */
  private ids(): Map<string, string> {
    const wanted = new Map<string, string>();
    for (const k of this.nodes.keys()) wanted.set(k, `n_${slug(k)}`);
    for (const k of this.subgraphs.keys()) wanted.set(k, `g_${slug(k)}`);
    const count = new Map<string, number>();
    for (const v of wanted.values()) count.set(v, (count.get(v) ?? 0) + 1);
    const out = new Map<string, string>();
    for (const [k, v] of wanted) out.set(k, count.get(v)! > 1 ? `${v}_${createHash('sha256').update(k).digest('hex').slice(0, 8)}` : v);
    return out;
  }
}

/** A Mermaid diagram as a fenced Markdown block. */
export function mermaidBlock(chart: Flowchart): string {
  return ['```mermaid', chart.render(), '```'].join('\n');
}
