import { Distribution } from '../../cluster.js';
import { DualGateway } from '../../dual-gateway.js';
import { defineRule } from '../rule.js';

/** NET-GW12: the in-cluster split-DNS records go where the cluster's CoreDNS reads them. */
export const CoreDnsCustomImported = defineRule({
  id: 'NET-GW12',
  level: 'warning',
  title: "In-cluster split DNS is rendered as coredns-custom only where the cluster's CoreDNS imports it",
  lesson:
    "k3s' CoreDNS mounts the kube-system/coredns-custom ConfigMap and imports its *.server blocks; Talos' CoreDNS does not: " +
    'its Corefile has no import and only its own ConfigMap is mounted. Seed 002 runs Talos and lists coredns-custom for its internal ' +
    'domains as if CoreDNS were bundled with k3s: the records are ignored, pods resolve the hosts publicly and reach them ' +
    'through Cloudflare instead of the internal gateway.',
  source:
    "seed 002 (CoreDNS: 'Bundled with K3s', custom configmap for internal domains, on a Talos cluster); docs.k3s.io networking-services#coredns; siderolabs/talos k8s/templates.go (CoreDNS manifest) and talos#7019",
  fix:
    'On Talos, disable the built-in CoreDNS (cluster.coreDNS.disabled: true in the machine config) and deploy CoreDNS with `import ' +
    '/etc/coredns/custom/*.server` in its Corefile and coredns-custom mounted at /etc/coredns/custom, then acknowledge NET-GW12; or ' +
    'leave splitDns.coreDns unset and rely on the LAN resolver files. Elsewhere make sure the CoreDNS in use imports coredns-custom, then acknowledge.',
  *check({ cluster }) {
    if (cluster.distribution === Distribution.K3S) return;
    for (const gateway of DualGateway.ofCluster(cluster)) {
      if (!gateway.coreDnsRendered) continue;
      yield {
        at: gateway,
        message:
          cluster.distribution === Distribution.TALOS
            ? "coredns-custom is rendered for in-cluster split DNS, but Talos' built-in CoreDNS does not import it: pods would resolve the hosts publicly"
            : `coredns-custom is rendered for in-cluster split DNS on a ${cluster.distribution} cluster, whose CoreDNS may not import it`,
        value: { distribution: cluster.distribution, coreDns: true },
        expected: "a CoreDNS that imports coredns-custom's *.server blocks (k3s' does)",
      };
    }
  },
});
