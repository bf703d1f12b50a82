/**
 * YAML as the GitOps tools read it: stable, no line folding, multi-line strings as literal blocks, and strings
 * that YAML 1.1 would read as booleans or numbers (`on`, `no`, `0644`) quoted — kubectl and Flux parse YAML 1.1 — and
 * never an anchor or alias, even where two values are the same object.
 */
import { stringify } from 'yaml';

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, blockQuote: 'literal', version: '1.1', aliasDuplicateObjects: false });
}

/** One object as a file: a header naming its source, then the document. */
export function objectFile(source: string, value: unknown, yaml?: string): string {
  return `# Rendered by cdk8s-netkit from ${source}. Edit the construct, not this file.\n${yaml ?? toYaml(value)}`;
}
