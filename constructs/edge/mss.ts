/**
 * TCP MSS clamping for a cluster subnet whose path MTU is below 1500 (seed 004: node MTU 1400, TLS
 * handshakes to registries timing out when PMTU discovery fails).
 */
import type { IpFamily } from '../cluster/address.js';
import { isNetworkCidr } from '../cluster/ip.js';
import { EdgeInputError, type EdgeProblem } from './types.js';

/** IP family of a path: 4 or 6, the Cluster's {@link IpFamily}. */
export type { IpFamily };

/** IPv4 and TCP headers without options: 20 + 20 bytes. */
const IPV4_OVERHEAD = 40;
/** IPv6 and TCP headers without options: 40 + 20 bytes. */
const IPV6_OVERHEAD = 60;
/** Smallest MTU each family allows (RFC 791: 68, RFC 8200: 1280). */
const MIN_MTU: Record<IpFamily, number> = { 4: 68, 6: 1280 };
/** Largest IP packet (16-bit length field). */
const MAX_MTU = 65535;

/**
 * The TCP MSS that fits a path MTU: MTU − 40 for IPv4, MTU − 60 for IPv6 (IP and TCP headers, no options).
 *
 * @throws RangeError when `mtu` is not an integer between the family's minimum (68 / 1280) and 65535
 * @see https://www.rfc-editor.org/rfc/rfc879
 */
export function mssForPathMtu(mtu: number, family: IpFamily): number {
  if (family !== 4 && family !== 6) {
    throw new RangeError(`IP family ${JSON.stringify(family)} is unknown; expected 4 or 6`);
  }
  if (!Number.isInteger(mtu) || mtu < MIN_MTU[family] || mtu > MAX_MTU) {
    throw new RangeError(
      `path MTU ${mtu} is out of range for IPv${family}; expected an integer from ${MIN_MTU[family]} to ${MAX_MTU}. ` +
        'Use the MTU measured with tracepath (seed 004 runs its nodes at 1400).',
    );
  }
  return mtu - (family === 4 ? IPV4_OVERHEAD : IPV6_OVERHEAD);
}

/** Input of {@link renderMssClamp}. */
export interface MssClampInput {
  /** Cluster name, used in comments only. @default 'cluster' */
  readonly clusterName?: string;
  /** The cluster subnet whose forwarded TCP connections are clamped, IPv4 or IPv6 CIDR (10.27.27.0/24). */
  readonly subnet: string;
  /** The working path MTU (seed 004: 1400). The MSS is derived from it. */
  readonly pathMtu: number;
  /** nftables table name. @default 'netkit_mss' */
  readonly tableName?: string;
}

/** Finds problems in an MSS clamp input. */
export function checkMssClampInput(input: MssClampInput): EdgeProblem[] {
  const problems: EdgeProblem[] = [];
  const family = familyOf(input.subnet);
  if (!family) {
    problems.push({
      id: 'EDGE-MSS1',
      message: 'the subnet is not a CIDR',
      value: input.subnet,
      expected: 'an IPv4 or IPv6 network in CIDR form, such as 10.27.27.0/24',
      fix: 'Give the cluster subnet with its prefix length, its address being the first of the network.',
    });
  } else {
    try {
      mssForPathMtu(input.pathMtu, family);
    } catch (e) {
      problems.push({
        id: 'EDGE-MSS2',
        message: (e as Error).message,
        value: input.pathMtu,
        expected: `an integer from ${MIN_MTU[family]} to ${MAX_MTU}`,
        fix: 'Set pathMtu to the MTU that works end to end.',
      });
    }
  }
  if (input.tableName !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(input.tableName)) {
    problems.push({
      id: 'EDGE-MSS3',
      message: 'the table name is not a plain nftables identifier',
      value: input.tableName,
      expected: 'letters, digits and _ , not starting with a digit',
      fix: 'Leave tableName unset (netkit_mss) or use a plain identifier.',
    });
  }
  return problems;
}

function familyOf(subnet: string): IpFamily | undefined {
  if (isNetworkCidr(subnet, 4)) return 4;
  if (isNetworkCidr(subnet, 6)) return 6;
  return undefined;
}

/**
 * Renders an nftables ruleset for the router/firewall in front of the cluster subnet: TCP SYNs forwarded
 * to or from the subnet get their MSS lowered to what the path MTU carries (only where larger).
 *
 * Clamping both directions covers connections opened by the nodes (image pulls) and to them. `rt mtu`
 * (clamp to the route's MTU) is the alternative when the small MTU is on the router's own link; a fixed
 * value also covers a smaller MTU further along the path, which is seed 004's case.
 *
 * @throws EdgeInputError listing every problem {@link checkMssClampInput} finds
 * @see https://wiki.nftables.org/wiki-nftables/index.php/Mangling_packet_headers
 */
export function renderMssClamp(input: MssClampInput): string {
  const problems = checkMssClampInput(input);
  if (problems.length > 0) throw new EdgeInputError(`MSS clamp input for ${input.clusterName ?? 'cluster'}`, problems);
  const family = familyOf(input.subnet)!;
  // Validated above (the address is the network's first); used as written.
  const subnet = input.subnet;
  const mss = mssForPathMtu(input.pathMtu, family);
  const ip = family === 4 ? 'ip' : 'ip6';
  const table = input.tableName ?? 'netkit_mss';
  const overhead = family === 4 ? IPV4_OVERHEAD : IPV6_OVERHEAD;
  return [
    '#!/usr/sbin/nft -f',
    `# TCP MSS clamping for cluster ${input.clusterName ?? 'cluster'} (${subnet}), rendered by cdk8s-netkit.`,
    "# Load on the router/firewall that forwards the subnet's traffic.",
    `# Path MTU ${input.pathMtu} - ${overhead} bytes of IPv${family} and TCP headers = MSS ${mss}.`,
    '# Alternative: "tcp option maxseg size set rt mtu" clamps to the outgoing route\'s MTU; it only helps',
    "# when the small MTU is on this router's own link, not further along the path.",
    '# Clamping does not replace ICMP: let "fragmentation needed"/"packet too big" through as well.',
    '',
    `table inet ${table}`,
    `delete table inet ${table}`,
    '',
    `table inet ${table} {`,
    '\tchain forward {',
    '\t\ttype filter hook forward priority mangle; policy accept;',
    `\t\t${ip} saddr ${subnet} tcp flags syn tcp option maxseg size > ${mss} tcp option maxseg size set ${mss} comment "clamp MSS of connections from the cluster subnet"`,
    `\t\t${ip} daddr ${subnet} tcp flags syn tcp option maxseg size > ${mss} tcp option maxseg size set ${mss} comment "clamp MSS of connections to the cluster subnet"`,
    '\t}',
    '}',
    '',
  ].join('\n');
}
