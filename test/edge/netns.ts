/**
 * A node, its clients and a pod in Linux network namespaces, with a kube-proxy stand-in that DNATs the node's port 80
 * to the pod: what a rendered node firewall really lets through, packet by packet. Needs root (CAP_SYS_ADMIN and
 * CAP_NET_ADMIN), `ip` and `nft`; tests skip visibly without them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers.js';

function sh(args: string[], input?: string): { ok: boolean; out: string } {
  const r = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Can this machine make network namespaces and load nftables rules in them? */
export const HAVE_NETNS = (() => {
  const probe = `nk-probe-${process.pid}`;
  if (!sh(['ip', 'netns', 'add', probe]).ok) return false;
  const nft = sh(['ip', 'netns', 'exec', probe, 'nft', 'add', 'table', 'inet', 'probe']).ok;
  sh(['ip', 'netns', 'del', probe]);
  return nft;
})();
if (!HAVE_NETNS) console.warn('SKIPPED: no network namespaces with nft here (needs root, iproute2, nftables); the firewall datapath was not exercised');

/** The lab: node 192.168.0.1 (lb 192.168.0.45 on that side), 192.168.9.1 (stranger 192.168.9.99), pod 10.42.0.5:8080. */
export class DnatLab {
  public readonly node: string;
  private readonly all: string[];
  private server?: ChildProcess;
  private readonly dir = tempDir('netkit-netns-');

  public constructor() {
    const id = `${process.pid}-${Math.floor(Math.random() * 1e6)}`;
    this.node = `nk-node-${id}`;
    const [lb, stranger, pod] = [`nk-lb-${id}`, `nk-st-${id}`, `nk-pod-${id}`];
    this.all = [this.node, lb, stranger, pod];
    this.names = { lb, stranger, pod };
  }

  private readonly names: { lb: string; stranger: string; pod: string };

  /** Build the namespaces, links, routes, the kube-proxy stand-in and the pod's server. */
  public async start(): Promise<void> {
    const run = (args: string[], input?: string) => {
      const r = sh(args, input);
      if (!r.ok) throw new Error(`${args.join(' ')}: ${r.out}`);
    };
    for (const ns of this.all) run(['ip', 'netns', 'add', ns]);
    const link = (ns1: string, if1: string, a1: string, ns2: string, if2: string, a2: string) => {
      run(['ip', 'link', 'add', if1, 'netns', ns1, 'type', 'veth', 'peer', 'name', if2, 'netns', ns2]);
      run(['ip', '-n', ns1, 'addr', 'add', a1, 'dev', if1]);
      run(['ip', '-n', ns2, 'addr', 'add', a2, 'dev', if2]);
      run(['ip', '-n', ns1, 'link', 'set', if1, 'up']);
      run(['ip', '-n', ns2, 'link', 'set', if2, 'up']);
    };
    const { lb, stranger, pod } = this.names;
    link(this.node, 'vlb', '192.168.0.1/24', lb, 'eth0', '192.168.0.45/24');
    link(this.node, 'vst', '192.168.9.1/24', stranger, 'eth0', '192.168.9.99/24');
    link(this.node, 'vpod', '10.42.0.1/24', pod, 'eth0', '10.42.0.5/24');
    for (const ns of this.all) run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    run(['ip', '-n', lb, 'route', 'add', 'default', 'via', '192.168.0.1']);
    run(['ip', '-n', stranger, 'route', 'add', 'default', 'via', '192.168.9.1']);
    run(['ip', '-n', pod, 'route', 'add', 'default', 'via', '10.42.0.1']);
    run(['ip', 'netns', 'exec', this.node, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    // kube-proxy's part: a Service/hostPort on the node's port 80, DNATed to the pod in the nat prerouting hook
    run(
      ['ip', 'netns', 'exec', this.node, 'nft', '-f', '-'],
      [
        'table ip kube-proxy-standin {',
        '\tchain prerouting {',
        '\t\ttype nat hook prerouting priority dstnat; policy accept;',
        '\t\ttcp dport 80 dnat to 10.42.0.5:8080',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
    this.server = spawn('ip', [
      'netns',
      'exec',
      pod,
      process.execPath,
      '-e',
      'require("net").createServer((s) => s.end("pod\\n")).listen(8080, "0.0.0.0", () => console.log("listening"))',
    ]);
    await new Promise<void>((resolve, reject) => {
      this.server!.stdout!.once('data', () => resolve());
      this.server!.once('exit', (code) => reject(new Error(`pod server exited with ${code}`)));
    });
  }

  /** Load an nftables file into the node. */
  public load(ruleset: string): void {
    const file = join(this.dir, `ruleset-${Math.floor(Math.random() * 1e9)}.nft`);
    writeFileSync(file, ruleset);
    const r = sh(['ip', 'netns', 'exec', this.node, 'nft', '-f', file]);
    if (!r.ok) throw new Error(`nft -f: ${r.out}`);
  }

  /** The node's tables, e.g. `table inet netkit`. */
  public tables(): string[] {
    return sh(['ip', 'netns', 'exec', this.node, 'nft', 'list', 'tables']).out.trim().split('\n').filter(Boolean);
  }

  /** Does a TCP connection from the client to the node's port 80 reach the pod (1 s timeout)? */
  public reachesPod(from: 'lb' | 'stranger'): boolean {
    const target = from === 'lb' ? '192.168.0.1' : '192.168.9.1';
    const r = sh([
      'ip',
      'netns',
      'exec',
      this.names[from],
      process.execPath,
      '-e',
      `const s = require("net").connect({ host: "${target}", port: 80, timeout: 1000 }); s.on("data", () => process.exit(0)); s.on("timeout", () => process.exit(1)); s.on("error", () => process.exit(1));`,
    ]);
    return r.ok;
  }

  public stop(): void {
    this.server?.kill();
    for (const ns of this.all) sh(['ip', 'netns', 'del', ns]);
  }
}
