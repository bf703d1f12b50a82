import { defineRule } from '../rule.js';

/**
 * NET-IN4: a CIDR names its network, not a host inside it.
 *
 * Reported by the constructs (phase `model`, `props.cidr()` in constructs/core/props.ts), as a warning: the CIDR still
 * means the network it lies in.
 */
export const CidrsAreNetworks = defineRule({
  id: 'NET-IN4',
  level: 'warning',
  phase: 'model',
  title: 'CIDRs are given as network addresses (no host bits set)',
  lesson:
    '10.0.0.5/24 is read by most tools as the network 10.0.0.0/24, by some as an error, and by a reader as a host: often a ' +
    'node address pasted with its prefix where the subnet was meant, or a typo in the prefix. The finding names the network ' +
    'the value stands for, so the intent is written down.',
  source: 'RFC 4632 section 3.1 (prefix notation); ipaddr.js networkAddressFromCIDR; issue 18',
  fix: 'Write the network address the finding names (e.g. 10.0.0.0/24 for 10.0.0.5/24).',
});
