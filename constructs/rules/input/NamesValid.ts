import { defineRule } from '../rule.js';

/**
 * NET-IN2: every string that becomes a name is valid where it lands, checked where the user wrote it.
 *
 * Reported by the constructs (phase `model`, `props.name()` in constructs/core/props.ts): an error for a name that
 * cannot be rendered as given, a warning for one the construct lower-cases.
 */
export const NamesValid = defineRule({
  id: 'NET-IN2',
  level: 'error',
  phase: 'model',
  title: 'Names are valid DNS-1123 labels, subdomains or file names where they land, as given',
  lesson:
    'A namespace, object, node or folder name is checked by the API server or the file system long after it was typed: a ' +
    'name with a capital letter or a space, or one longer than 63 characters, used to surface as a schema error about a ' +
    'derived object name, or as a file name quietly rewritten. Each name is checked at the prop it comes from, with the rules ' +
    'of the place it lands (Kubernetes object and namespace names: DNS-1123 labels; node names: DNS-1123 subdomains; ' +
    'folders: file names). A name the library lower-cases is reported as a warning, so the rename is never silent.',
  source: 'Kubernetes object names and IDs (DNS-1123 label and subdomain); issue 18',
  fix: 'Use lower-case letters, digits and "-" (and "." where a subdomain is allowed), at most 63 characters per label.',
});
