/**
 * Mermaid's own parser in Node, for the tests of the diagrams the reports hold: what GitHub would show as an error
 * fails here. Mermaid (through DOMPurify) wants a DOM when it is loaded; jsdom provides a window for the load, and the
 * globals are taken away again after it, so that the other test files of the worker see the Node they expect.
 */
import { JSDOM } from 'jsdom';

type Mermaid = typeof import('mermaid').default;

let loading: Promise<Mermaid> | undefined;

/** Mermaid, loaded once per worker. */
export function loadMermaid(): Promise<Mermaid> {
  loading ??= (async () => {
    const g = globalThis as Record<string, unknown>;
    const saved = { window: g.window, document: g.document };
    const dom = new JSDOM('<!doctype html><html><body></body></html>');
    g.window = dom.window;
    g.document = dom.window.document;
    try {
      const { default: mermaid } = await import('mermaid');
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
      return mermaid;
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete g[k];
        else g[k] = v;
      }
      // parsing needs no DOM: closing the window leaves no timer that would keep the worker alive
      dom.window.close();
    }
  })();
  return loading;
}

/** The sources of the ```mermaid blocks of a Markdown text, in order. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** Parse one diagram; resolves to undefined when it parses, or to Mermaid's error message. */
export async function parseError(source: string): Promise<string | undefined> {
  const mermaid = await loadMermaid();
  try {
    await mermaid.parse(source);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
