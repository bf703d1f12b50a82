import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  Cluster,
  EDGE_README_PATH,
  EdgeFolder,
  EGRESS_PROBE_IMAGE,
  NodeFirewall,
  NodeRole,
  EdgeLoadBalancer,
  Routing,
  SEED_004_ENDPOINTS,
} from '../../constructs/index.js';
import { mssForPathMtu } from '../../constructs/edge/index.js';
import { expectCommitted, file, ids, run, tempDir, type Outcome } from '../helpers.js';
import { generic, HOMELAB, homelab, oceanid, talos } from './fleet.js';
import { HAVE_HAPROXY, HAVE_NFT, haproxyCheck, nftCheck } from './tools.js';

const edgeFiles = (o: Outcome, cluster: string) => [...o.result!.clusters.find((c) => c.name === cluster)!.files.keys()].filter((f) => f.startsWith('edge/'));

/** Rows of an nftables node file as `port/proto` → sources. */
function nftRows(text: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const m of text.matchAll(/ip saddr (\{ [^}]+ \}|\S+) (tcp|udp) dport (\S+) accept/g)) {
    rows.set(
      `${m[3]}/${m[2]}`,
      m[1]
        .replace(/[{}]/g, '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }
  return rows;
}

/**
 * Where an edge file of an example cluster is guarded: the committed file under clusters/ (compared read-only; the
 * e2e test holds the tree to a fresh synth of main.ts), except the readme, which lists edge constructs these tests
 * leave out and so has a snapshot of its own here.
 */
async function expectGuarded(content: string, cluster: string, f: string): Promise<void> {
  if (f === EDGE_README_PATH) await expect(content).toMatchFileSnapshot(`./__snapshots__/${cluster}/${f.replace(/^edge\//, '')}`);
  else expectCommitted(content, `${cluster}/${f}`);
}

describe('edge files of the example clusters', () => {
  it('homelab: snapshots of haproxy.cfg, the VIP alias, the per-node firewalls and the readme', async () => {
    const o = await run(homelab().app);
    // the fixture leaves the K3sServerConfig out (k3s-config.test.ts covers it): NET-EDGE13 says so, no other edge rule speaks
    expect(o.findings.filter((f) => f.ruleId.startsWith('NET-EDGE')).map((f) => f.ruleId)).toEqual(['NET-EDGE13']);
    const files = edgeFiles(o, 'homelab');
    expect(files).toEqual(
      [
        EDGE_README_PATH,
        ...['master', 'worker1', 'worker2'].flatMap((n) => [`edge/firewall/${n}.nft`, `edge/firewall/${n}.ufw.sh`]),
        'edge/firewall/netkit-firewall.service',
        'edge/haproxy/haproxy.cfg',
        'edge/haproxy/interfaces.d/netkit-vip',
      ].sort(),
    );
    for (const f of files) await expectGuarded(file(o, 'homelab', f), 'homelab', f);
  });

  it('oceanid: snapshots of registries.yaml.dist, the MSS clamp and the readme', async () => {
    const o = await run(oceanid().app);
    // as for homelab: no K3sServerConfig in the fixture
    expect(o.findings.filter((f) => f.ruleId.startsWith('NET-EDGE')).map((f) => f.ruleId)).toEqual(['NET-EDGE13']);
    const files = edgeFiles(o, 'oceanid');
    expect(files).toEqual([EDGE_README_PATH, 'edge/k3s/registries.yaml.dist', 'edge/router/mss-clamp.nft'].sort());
    for (const f of files) await expectGuarded(file(o, 'oceanid', f), 'oceanid', f);
  });

  it('talos: snapshot of the machine-config patch', async () => {
    const o = await run(talos().app);
    const patch = file(o, 'talos', 'edge/talos/registry-mirrors.patch.yaml.dist');
    await expect(patch).toMatchFileSnapshot('./__snapshots__/talos/talos/registry-mirrors.patch.yaml.dist');
    expect(parse(patch).machine.registries.mirrors['ghcr.io']).toEqual({ endpoints: ['https://cache.lan:5443/v2/ghcr.io'], overridePath: true });
  });

  it('native routing opens no tunnel port; etcd only on the control plane, from the control plane', async () => {
    const o = await run(generic().app);
    const rows = nftRows(file(o, 'generic', 'edge/firewall/talos-w1.nft'));
    expect(rows.has('8472/udp')).toBe(false);
    expect(rows.has('6081/udp')).toBe(false);
    expect(rows.has('2379-2380/tcp')).toBe(false);
    expect(rows.has('6443/tcp')).toBe(false);
    expect(nftRows(file(o, 'generic', 'edge/firewall/talos-cp1.nft')).get('2379-2380/tcp')).toEqual(['192.168.10.101']);
  });

  it('no edge file ends in .yaml/.yml, none is listed by a kustomization, and the readme names every one', async () => {
    for (const [name, build] of [
      ['homelab', homelab],
      ['oceanid', oceanid],
      ['talos', talos],
    ] as const) {
      const o = await run(build().app);
      const c = o.result!.clusters.find((x) => x.name === name)!;
      const files = edgeFiles(o, name);
      expect(files.filter((f) => /\.ya?ml$/.test(f))).toEqual([]);
      for (const [path, content] of c.files) {
        if (path.endsWith('kustomization.yaml')) expect(parse(content.replace(/^#.*\n/, '')).resources.some((r: string) => r.startsWith('edge'))).toBe(false);
      }
      const readme = file(o, name, EDGE_README_PATH);
      for (const f of files.filter((x) => x !== EDGE_README_PATH)) expect(readme).toContain(`\`${f.replace(/^edge\//, '')}\``);
    }
  });

  it('fails when a host YAML file would end in .yaml', () => {
    const { cluster } = homelab();
    expect(() => EdgeFolder.ensure(cluster).addFile({ path: 'edge/k3s/config.yaml', destination: 'x', apply: 'y' }, () => '', cluster)).toThrow(
      /ends in \.yaml\/\.yml.*name it "edge\/k3s\/config\.yaml\.dist"/,
    );
  });
});

describe('EdgeLoadBalancer', () => {
  it('binds to externalLoadBalancer.address, API across the control plane, web across the ingress nodes', async () => {
    const app = new App({ outdir: tempDir() });
    const cluster = new Cluster(app, 'lab', {
      ...HOMELAB,
      nodes: [
        { name: 'cp', address: '192.168.55.11', roles: [NodeRole.CONTROL_PLANE] },
        { name: 'w1', address: '192.168.55.21' },
        { name: 'w2', address: '192.168.55.22' },
      ],
    });
    new EdgeLoadBalancer(cluster, 'Lb', { ingressNodes: ['w2'] });
    const cfg = file(await run(app), 'lab', 'edge/haproxy/haproxy.cfg');
    const servers = (backend: string) => {
      const block = cfg.split(`\nbackend ${backend}\n`)[1].split('\n\n')[0];
      return [...block.matchAll(/server (\S+) (\S+)/g)].map((m) => `${m[1]} ${m[2]}`);
    };
    for (const port of [6443, 80, 443]) expect(cfg).toContain(`bind ${HOMELAB.externalLoadBalancer!.address}:${port}`);
    expect(servers('k8s-api')).toEqual(['cp 192.168.55.11:6443']);
    expect(servers('ingress-http')).toEqual(['w2 192.168.55.22:80']);
    expect(servers('ingress-https')).toEqual(['w2 192.168.55.22:443']);
  });

  it.skipIf(!HAVE_HAPROXY)('haproxy -c accepts the rendered homelab haproxy.cfg', async () => {
    const r = haproxyCheck(file(await run(homelab().app), 'homelab', 'edge/haproxy/haproxy.cfg'));
    expect(r.output).not.toMatch(/\[ALERT\]/);
    expect(r.ok).toBe(true);
  });
});

describe('NodeFirewall follows the cluster and its CiliumRelease', () => {
  const rowsOf = async (build: () => { app: App }, cluster: string, node: string) =>
    nftRows(file(await run(build().app), cluster, `edge/firewall/${node}.nft`));

  it('opens VXLAN only in VXLAN mode, Geneve only in Geneve mode, neither in native routing', async () => {
    const vxlan = await rowsOf(() => homelab({ routing: Routing.tunnel('vxlan') }), 'homelab', 'master');
    const geneve = await rowsOf(() => homelab({ routing: Routing.tunnel('geneve') }), 'homelab', 'master');
    const native = await rowsOf(() => homelab({ routing: Routing.native() }), 'homelab', 'master');
    expect([vxlan.has('8472/udp'), vxlan.has('6081/udp')]).toEqual([true, false]);
    expect([geneve.has('8472/udp'), geneve.has('6081/udp')]).toEqual([false, true]);
    expect([native.has('8472/udp'), native.has('6081/udp')]).toEqual([false, false]);
    // tunnel traffic comes from the nodes only
    expect(vxlan.get('8472/udp')).toEqual(HOMELAB.nodes.map((n) => n.address).sort());
  });

  it('opens Hubble only with Hubble, etcd only with embedded etcd, 9100 only when monitored', async () => {
    const on = await rowsOf(() => homelab(), 'homelab', 'master');
    expect(on.has('4244/tcp')).toBe(true);
    expect(on.has('2379-2380/tcp')).toBe(true);
    expect(on.has('9100/tcp')).toBe(true);
    const off = await rowsOf(
      () =>
        homelab({
          cluster: { embeddedEtcd: false },
          firewall: { datapath: { routingMode: 'tunnel', tunnelProtocol: 'vxlan', hubbleEnabled: false, encryption: 'none' } },
        }),
      'homelab',
      'master',
    );
    expect(off.has('4244/tcp')).toBe(false);
    expect(off.has('2379-2380/tcp')).toBe(false);
    expect(off.has('9100/tcp')).toBe(false);
    for (const always of ['4240/tcp', '10250/tcp', '22/tcp', '6443/tcp']) expect(off.has(always), always).toBe(true);
  });

  it('names each source: management network for SSH, LB for 80/443, LB + nodes + pods for 6443', async () => {
    const rows = await rowsOf(() => homelab(), 'homelab', 'worker1');
    const lb = [HOMELAB.externalLoadBalancer!.address, HOMELAB.externalLoadBalancer!.hostAddress!];
    const nodes = HOMELAB.nodes.map((n) => n.address);
    expect(rows.get('22/tcp')).toEqual([HOMELAB.managementCidr]);
    expect(rows.get('80/tcp')!.sort()).toEqual([...lb].sort());
    expect(rows.get('443/tcp')!.sort()).toEqual([...lb].sort());
    expect(rows.get('6443/tcp')!.sort()).toEqual([...lb, ...nodes, HOMELAB.podCidr!].sort());
  });

  it('the UFW script allows the same port/source pairs as the nftables file', async () => {
    const o = await run(homelab().app);
    const nft = nftRows(file(o, 'homelab', 'edge/firewall/master.nft'));
    const fromNft = [...nft].flatMap(([k, srcs]) => srcs.map((s) => `${k.replace('-', ':')} ${s}`)).sort();
    const ufw = [...file(o, 'homelab', 'edge/firewall/master.ufw.sh').matchAll(/ufw allow from (\S+) to any port (\S+) proto (\S+)/g)]
      .map((m) => `${m[2]}/${m[3]} ${m[1]}`)
      .sort();
    expect(ufw).toEqual(fromNft);
  });

  it.skipIf(!HAVE_NFT)('nft -c accepts every rendered nftables file (node firewalls, MSS clamp)', async () => {
    for (const [name, build] of [
      ['homelab', homelab],
      ['oceanid', oceanid],
      ['generic', generic],
    ] as const) {
      const o = await run(build().app);
      for (const f of edgeFiles(o, name).filter((x) => x.endsWith('.nft'))) {
        const r = nftCheck(file(o, name, f));
        expect(r.output, `${name}/${f}`).toBe('');
        expect(r.ok, `${name}/${f}`).toBe(true);
      }
    }
  });

  it('reads the datapath from the CiliumRelease', async () => {
    const { cluster } = homelab();
    const fw = cluster.constructsOf(NodeFirewall)[0];
    expect(fw.datapath()).toMatchObject({ routingMode: 'tunnel', tunnelProtocol: 'vxlan', hubbleEnabled: true, encryption: 'none' });
  });
});

describe('MssClamp', () => {
  it('derives the MSS from the node MTU (1400 → 1360) and follows it', async () => {
    for (const mtu of [1400, 1450, 1500]) {
      const clamp = file(await run(oceanid({ cluster: { nodeMtu: mtu } }).app), 'oceanid', 'edge/router/mss-clamp.nft');
      const sizes = [...clamp.matchAll(/maxseg size set (\d+)/g)].map((m) => Number(m[1]));
      expect(sizes).toEqual([mtu - 40, mtu - 40]);
      expect(sizes[0]).toBe(mssForPathMtu(mtu, 4));
      expect(clamp).toContain('ip saddr 10.27.27.0/24');
    }
  });
});

describe('EgressProbes', () => {
  it('renders a DaemonSet on every node with a pinned image, a ConfigMap script and no credentials', async () => {
    const o = await run(oceanid().app);
    const ds = parse(file(o, 'oceanid', 'apps/probes/daemonset-egress-probes.yaml'));
    const cm = parse(file(o, 'oceanid', 'apps/probes/configmap-egress-probes.yaml'));
    expect(ds.metadata.namespace).toBe('netkit-probes');
    expect(cm.metadata.namespace).toBe('netkit-probes');
    const pod = ds.spec.template.spec;
    expect(pod.containers[0].image).toBe(EGRESS_PROBE_IMAGE);
    expect(EGRESS_PROBE_IMAGE).toMatch(/:[0-9]+\.[0-9]+\.[0-9]+$/);
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes.find((v: any) => v.configMap)?.configMap.name).toBe(cm.metadata.name);
    expect(JSON.stringify(pod.containers[0].env)).not.toMatch(/secretKeyRef/);
    const script: string = cm.data['probe.sh'];
    for (const e of SEED_004_ENDPOINTS) expect(script).toContain(`'${e}'`);
    expect(ids(o.findings).filter((id) => id.startsWith('NET-SEC'))).toEqual([]);
  });

  it('the script is valid sh and logs one line per probe with node, endpoint, time and result, in bounded rounds', async () => {
    const o = await run(oceanid().app);
    const script: string = parse(file(o, 'oceanid', 'apps/probes/configmap-egress-probes.yaml')).data['probe.sh'];
    const dir = mkdtempSync(join(tmpdir(), 'netkit-probe-'));
    writeFileSync(join(dir, 'probe.sh'), script);
    expect(spawnSync('sh', ['-n', join(dir, 'probe.sh')]).status).toBe(0);
    // A stub curl: quay.io times out, the token service answers a token, everything else answers 401.
    mkdirSync(join(dir, 'bin'));
    writeFileSync(
      join(dir, 'bin', 'curl'),
      [
        '#!/bin/sh',
        'for a; do last=$a; done',
        'case "$last" in',
        '  *quay.io*) echo "curl: (28) SSL connection timeout" >&2; printf "http=000"; exit 28;;',
        '  *token\\?*) echo \'{"token":"anonymous.jwt"}\'; exit 0;;',
        'esac',
        'printf "http=401"',
      ].join('\n'),
    );
    chmodSync(join(dir, 'bin', 'curl'), 0o755);
    // Stop the idle loop at the end: replace its sleep with exit.
    const bounded = script.replace('while true; do sleep 3600; done', 'exit 0');
    writeFileSync(join(dir, 'run.sh'), bounded);
    const r = spawnSync('sh', [join(dir, 'run.sh')], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, NODE_NAME: 'cp1', ROUNDS: '2', INTERVAL_SECONDS: '0', TIMEOUT_SECONDS: '2', TMPDIR: dir },
    });
    expect(r.status).toBe(0);
    const probes = r.stdout.split('\n').filter((l) => l.startsWith('probe '));
    expect(probes).toHaveLength(2 * (SEED_004_ENDPOINTS.length + 1));
    for (const l of probes) expect(l).toMatch(/^probe node=cp1 endpoint=https:\/\/\S+ time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ result=(ok|fail) /);
    expect(probes.filter((l) => l.includes('result=fail')).every((l) => l.includes('quay.io') && l.includes('exit=28'))).toBe(true);
    expect(r.stdout).toContain('summary node=cp1');
    expect(r.stdout).toMatch(/rounds=2 failures=2/);
    expect(probes.some((l) => l.includes('/manifests/latest') && l.includes('result=ok'))).toBe(true);
  });
});
