import { CiliumRelease } from '../../cilium-release.js';
import { TUNNEL_OVERHEAD, WIREGUARD_OVERHEAD } from '../../cilium/defaults.js';
import { defineRule } from '../rule.js';

/** Bytes Cilium's Geneve DSR option adds to a tunnelled packet (`DsrTunnelOverhead` in cilium/pkg/mtu). */
export const GENEVE_DSR_OVERHEAD = 12;

/** The IPv6 minimum link MTU (RFC 8200): a pod MTU below it breaks IPv6 inside pods. */
const IPV6_MIN_MTU = 1280;

/**
 * NET-CLU6: Cilium's MTU (the Cluster's nodeMtu, or an `MTU` given in the extra values) fits the node MTU, and what is
 * left for pods after the tunnel's overhead is still a usable MTU.
 */
export const CiliumMtuFitsNode = defineRule({
  id: 'NET-CLU6',
  level: 'error',
  title: "Cilium's MTU fits the node MTU, and the pod MTU left after the tunnel overhead is usable",
  lesson:
    "Cilium's Helm value MTU is the device MTU; Cilium subtracts the encapsulation itself (VXLAN and Geneve 50 bytes, Geneve " +
    'with the DSR option 12 more, native routing nothing; WireGuard 80). An MTU set above the MTU the nodes really have sends ' +
    'frames the LAN drops (seed 004 lowered the node MTU to 1400 and had to lower everything derived from it); a node MTU so ' +
    'small that the tunnel leaves pods less than 1280 bytes breaks IPv6 in pods.',
  source: 'seed 004 (MTU 1400); cilium/pkg/mtu (TunnelOverhead 50, DsrTunnelOverhead 12); RFC 8200 (1280)',
  fix: "Leave MTU out of the extra values (the release takes the Cluster's nodeMtu), or set nodeMtu to what the node interfaces use.",
  *check({ cluster }) {
    const release = CiliumRelease.of(cluster);
    if (!release) return;
    const values = release.values();
    const given = values.MTU;
    const nodeMtu = cluster.nodeMtu;
    if (given !== undefined && (typeof given !== 'number' || !Number.isInteger(given) || given < 0)) {
      yield {
        at: release,
        message: "Cilium's MTU value is not a whole number of bytes",
        value: given,
        expected: `0 (auto) or at most the node MTU ${nodeMtu}`,
      };
      return;
    }
    if (given === 0) return; // Cilium detects the device MTU itself
    const mtu = typeof given === 'number' ? given : nodeMtu;
    if (mtu > nodeMtu) {
      yield {
        at: release,
        message: `Cilium's MTU ${mtu} is larger than the node MTU ${nodeMtu}: pods would send frames the node network drops`,
        value: mtu,
        expected: `at most the node MTU ${nodeMtu}`,
      };
    }
    const lb = values.loadBalancer as { mode?: unknown; dsrDispatch?: unknown } | undefined;
    const tunnel =
      release.routingMode === 'tunnel'
        ? TUNNEL_OVERHEAD + (release.tunnelProtocol === 'geneve' && lb?.mode === 'dsr' && lb?.dsrDispatch === 'geneve' ? GENEVE_DSR_OVERHEAD : 0)
        : 0;
    const overhead = tunnel + (release.encryption === 'wireguard' ? WIREGUARD_OVERHEAD : 0);
    const podMtu = Math.min(mtu, nodeMtu) - overhead;
    if (overhead > 0 && podMtu < IPV6_MIN_MTU) {
      yield {
        at: release,
        level: 'warning',
        message: `pods get an MTU of ${podMtu} (${Math.min(mtu, nodeMtu)} minus ${overhead} bytes of ${release.routingMode === 'tunnel' ? `${release.tunnelProtocol} tunnel` : ''}${release.encryption === 'wireguard' ? `${tunnel ? ' and ' : ''}WireGuard` : ''} overhead), below IPv6's minimum`,
        value: podMtu,
        expected: `a pod MTU of at least ${IPV6_MIN_MTU}: a node MTU of at least ${IPV6_MIN_MTU + overhead}, or native routing`,
      };
    }
  },
});
