/** Input that bypasses the types, names that cannot land, ports out of range, CIDRs with host bits, MTUs that disagree. */
import { CiliumRelease, Workload } from '../../../constructs/index.js';
import { testCluster } from '../../helpers.js';
import type { CorpusArea } from '../case.js';

export const INPUT: CorpusArea = {
  area: 'input',
  cases: [
    {
      name: 'a replica count read from a configuration file as a string',
      from: 'issue 18 (values read from configuration bypass the types)',
      expect: 'NET-IN1',
      says: 'Workload prop replicas is not valid',
      value: '3',
      build: () => {
        const { app, cluster } = testCluster();
        new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }], replicas: '3' as never });
        return app;
      },
    },
    {
      name: 'a Workload without its ports (plain JavaScript caller)',
      from: 'issue 18 (a crash inside a construct before any rule ran)',
      expect: 'NET-IN1',
      says: 'Workload: ports is required',
      value: undefined,
      build: () => {
        const { app, cluster } = testCluster();
        new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx:1.27.2' } as never);
        return app;
      },
    },
    {
      name: 'a namespace with a space and capitals',
      from: 'issue 18 (names checked where they land, at the input)',
      expect: 'NET-IN2',
      says: 'Workload: namespace cannot be used as a name (it becomes a namespace)',
      value: 'My Apps',
      build: () => {
        const { app, cluster } = testCluster();
        new Workload(cluster, 'web', { namespace: 'My Apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }] });
        return app;
      },
    },
    {
      name: 'a node name longer than a DNS label',
      from: 'issue 18 (node names are DNS-1123 subdomains of 63-character labels)',
      expect: 'NET-IN2',
      says: 'Cluster: nodes[1].name cannot be used as a name',
      value: 'n'.repeat(70),
      build: () =>
        testCluster({
          nodes: [
            { name: 'cp1', address: '192.168.1.11', roles: ['control-plane' as never] },
            { name: 'n'.repeat(70), address: '192.168.1.21' },
          ],
        }).app,
    },
    {
      name: 'a container port above 65535',
      from: 'issue 18 (ports in range)',
      expect: 'NET-IN3',
      says: 'Workload prop ports[0].port is not valid',
      value: 70000,
      build: () => {
        const { app, cluster } = testCluster();
        new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 70000 }] });
        return app;
      },
    },
    {
      name: 'a pod CIDR written with a host address',
      from: 'issue 18 (10.0.0.5/24: did you mean 10.0.0.0/24)',
      expect: 'NET-IN4',
      says: 'Cluster: podCidr "10.42.0.5/16" has host bits set: did you mean 10.42.0.0/16?',
      value: '10.42.0.5/16',
      build: () => testCluster({ podCidr: '10.42.0.5/16' }).app,
    },
    {
      name: "Cilium's MTU above the node MTU",
      from: 'seed 004 (MTU 1400); issue 18 (numbers that must agree)',
      expect: 'NET-CLU6',
      says: "Cilium's MTU 9000 is larger than the node MTU 1400",
      value: 9000,
      build: () => {
        const { app, cluster } = testCluster({ nodeMtu: 1400 });
        new CiliumRelease(cluster, 'Cilium', { version: '1.20', extraValues: { MTU: 9000 } });
        return app;
      },
    },
    {
      name: 'a container port name longer than an IANA service name',
      from: 'issue 18 (a port name is an IANA_SVC_NAME: at most 15 characters, not a DNS label)',
      expect: 'NET-IN2',
      says: 'Workload: ports[0].name cannot be used as a name (it becomes a container port name): it has 16 characters',
      value: 'metrics-exporter',
      build: () => {
        const { app, cluster } = testCluster();
        new Workload(cluster, 'web', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'metrics-exporter', port: 9100 }] });
        return app;
      },
    },
    {
      name: 'a construct id with a space standing for the Workload name',
      from: 'issue 18 (one bad id is one finding, its schema follow-ons collapsed under it)',
      expect: 'NET-IN2',
      says: 'cannot be used as the Deployment and Service name, which it names when no name is given (2 follow-on findings of this construct left out: NET-SCH4)',
      value: 'Web App',
      build: () => {
        const { app, cluster } = testCluster();
        new Workload(cluster, 'Web App', { namespace: 'apps', image: 'nginx:1.27.2', ports: [{ name: 'http', port: 80 }] });
        return app;
      },
    },
  ],
};
