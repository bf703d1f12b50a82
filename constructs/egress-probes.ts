/**
 * Egress probes (seed 004, phase 1): from every node, time TLS handshakes and registry token/manifest requests
 * to the endpoints whose pulls timed out, and log one line per probe, so a path problem (PMTUD, MSS, NAT)
 * shows up as evidence per node instead of as flaky image pulls.
 */
import { CoreConfigMap, CoreDaemonSet } from '../imports/core.js';
import { Construct } from 'constructs';
import { Component, Layer } from './component.js';
import { EGRESS_PROBE_IMAGE } from './core/versions.js';
import * as p from './core/props.js';
import { checkProps } from './findings.js';

/** The endpoints seed 004 saw time out: registries, the Docker Hub token service, the Doppler API. */
export const SEED_004_ENDPOINTS: readonly string[] = [
  'https://ghcr.io/v2/',
  'https://auth.docker.io/token',
  'https://registry-1.docker.io/v2/',
  'https://quay.io/v2/',
  'https://registry.k8s.io/v2/',
  'https://api.doppler.com/v3/projects',
];

export interface EgressProbesProps {
  /**
   * Namespace of the probes.
   *
   * @default 'netkit-probes'
   */
  readonly namespace?: string;
  /**
   * URLs probed with a GET each round. Any HTTP answer (401 included: no credentials are sent) counts as
   * reachable; a timeout or a failed TLS handshake is a failure.
   *
   * @default SEED_004_ENDPOINTS
   */
  readonly endpoints?: readonly string[];
  /**
   * Also fetch an anonymous Docker Hub token and request a manifest with it (HEAD, which the Hub does not
   * count against the pull rate limit), the two requests every docker.io pull makes.
   *
   * @default 'library/busybox:latest'
   */
  readonly dockerHubManifest?: string | false;
  /**
   * Rounds of probes before the pod idles (delete the pods to start another series).
   *
   * @default 60
   */
  readonly rounds?: number;
  /**
   * Seconds between rounds.
   *
   * @default 60
   */
  readonly intervalSeconds?: number;
  /**
   * Per-request timeout in seconds (curl `--max-time`); connect timeout is half of it.
   *
   * @default 15
   */
  readonly timeoutSeconds?: number;
  /**
   * Run in the node's network namespace, the path containerd pulls over (and the node's resolver). Without
   * it the probes measure the pod path (Cilium's MTU, masquerading), the path External Secrets takes.
   *
   * @default true
   */
  readonly hostNetwork?: boolean;
  /**
   * Probe container image.
   *
   * @default EGRESS_PROBE_IMAGE
   */
  readonly image?: string;
}

/**
 * A DaemonSet (apps layer, folder `probes`) that runs the probe script from a ConfigMap on every node,
 * control plane included. Each probe logs one line:
 * `probe node=<node> endpoint=<url> time=<UTC> result=ok|fail http=<code> connect=<s> tls=<s> total=<s> ip=<ip> exit=<curl exit>`.
 * Read them with `kubectl -n netkit-probes logs -l app=egress-probes --prefix | grep result=fail`.
 */
/** What EgressProbes accept (NET-IN1, NET-IN2). */
const EGRESS_PROBES_SPEC = p.object({
  namespace: p.optional(p.name('label', { landsAs: 'a namespace' })),
  endpoints: p.optional(
    p.array(p.string({ maxLength: 300, pattern: /^[A-Za-z0-9.-]+:[0-9]{1,5}$/, expected: 'an endpoint as host:port, e.g. registry-1.docker.io:443' })),
  ),
  dockerHubManifest: p.optional(
    p.anyOf('an image path or false', p.string({ maxLength: 300 }), { expected: 'false', clean: (v) => (v === false ? v : p.INVALID) }),
  ),
  rounds: p.optional(p.integer({ min: 1, max: 10000 })),
  intervalSeconds: p.optional(p.integer({ min: 1, max: 86400 })),
  timeoutSeconds: p.optional(p.integer({ min: 1, max: 3600 })),
  hostNetwork: p.optional(p.boolean()),
  image: p.optional(p.string({ maxLength: 1024 })),
});

export class EgressProbes extends Component {
  public readonly namespace: string;
  public readonly endpoints: readonly string[];
  public readonly rounds: number;
  public readonly intervalSeconds: number;
  public readonly timeoutSeconds: number;
  public readonly hostNetwork: boolean;
  public readonly daemonSet: CoreDaemonSet;
  public readonly script: CoreConfigMap;

  public constructor(scope: Construct, id: string, given: EgressProbesProps = {}) {
    super(scope, id, { layer: Layer.APPS, folder: 'probes' });
    const props = checkProps<EgressProbesProps>(this, EGRESS_PROBES_SPEC, given, {});
    this.namespace = props.namespace ?? 'netkit-probes';
    this.endpoints = [...(props.endpoints ?? SEED_004_ENDPOINTS)];
    this.rounds = props.rounds ?? 60;
    this.intervalSeconds = props.intervalSeconds ?? 60;
    this.timeoutSeconds = props.timeoutSeconds ?? 15;
    this.hostNetwork = props.hostNetwork ?? true;
    const manifest = props.dockerHubManifest === undefined ? 'library/busybox:latest' : props.dockerHubManifest;
    const labels = { app: 'egress-probes', 'app.kubernetes.io/name': 'egress-probes', 'app.kubernetes.io/part-of': 'cdk8s-netkit' };

    this.script = new CoreConfigMap(this, 'Script', {
      metadata: { name: 'egress-probes', namespace: this.namespace, labels },
      data: { 'probe.sh': probeScript(this.endpoints, manifest || undefined) },
    });

    this.daemonSet = new CoreDaemonSet(this, 'Resource', {
      metadata: { name: 'egress-probes', namespace: this.namespace, labels },
      spec: {
        selector: { matchLabels: { app: 'egress-probes' } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            hostNetwork: this.hostNetwork,
            dnsPolicy: this.hostNetwork ? 'Default' : 'ClusterFirst',
            // every node, control plane included: the failing pulls happened on cp1 and the workers alike
            tolerations: [{ operator: 'Exists' }],
            terminationGracePeriodSeconds: 5,
            securityContext: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 101, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'probe',
                image: props.image ?? EGRESS_PROBE_IMAGE,
                command: ['/bin/sh', '/probe/probe.sh'],
                env: [
                  { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
                  { name: 'ROUNDS', value: String(this.rounds) },
                  { name: 'INTERVAL_SECONDS', value: String(this.intervalSeconds) },
                  { name: 'TIMEOUT_SECONDS', value: String(this.timeoutSeconds) },
                ],
                resources: {
                  requests: { cpu: '10m', memory: '16Mi' },
                  limits: { memory: '64Mi' },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'script', mountPath: '/probe', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'script', configMap: { name: 'egress-probes' } },
              { name: 'tmp', emptyDir: { sizeLimit: '1Mi' } },
            ],
          },
        },
      },
    });
  }
}

/** The probe script: bounded rounds, one log line per probe, no credentials. */
export function probeScript(endpoints: readonly string[], dockerHubManifest?: string): string {
  const [repo, tag] = dockerHubManifest ? splitRef(dockerHubManifest) : [undefined, undefined];
  return [
    '#!/bin/sh',
    '# Egress probes rendered by cdk8s-netkit (seed 004, phase 1). No credentials are sent.',
    'set -u',
    'ROUNDS="${ROUNDS:-60}"; INTERVAL_SECONDS="${INTERVAL_SECONDS:-60}"; TIMEOUT_SECONDS="${TIMEOUT_SECONDS:-15}"',
    'CONNECT_TIMEOUT=$((TIMEOUT_SECONDS / 2))',
    'now() { date -u +%Y-%m-%dT%H:%M:%SZ; }',
    '',
    '# probe ENDPOINT [curl options...]: one line per probe; any HTTP status means the path works.',
    'probe() {',
    '  url="$1"; shift',
    '  out=$(curl -sS -o /dev/null --connect-timeout "$CONNECT_TIMEOUT" --max-time "$TIMEOUT_SECONDS" \\',
    '    -w \'http=%{http_code} connect=%{time_connect} tls=%{time_appconnect} total=%{time_total} ip=%{remote_ip}\' "$@" "$url" 2>/tmp/err)',
    '  rc=$?',
    '  if [ "$rc" -eq 0 ]; then result=ok; else result=fail; fi',
    "  echo \"probe node=$NODE_NAME endpoint=$url time=$(now) result=$result $out exit=$rc $(head -c 200 /tmp/err | tr '\\n' ' ')\"",
    '  [ "$rc" -eq 0 ]',
    '}',
    '',
    '# Context for the evidence: interface MTUs and resolvers seen from here.',
    'for f in /sys/class/net/*/mtu; do i=${f#/sys/class/net/}; echo "context node=$NODE_NAME time=$(now) interface=${i%/mtu} mtu=$(cat "$f")"; done',
    "echo \"context node=$NODE_NAME time=$(now) resolvers=$(grep ^nameserver /etc/resolv.conf | tr '\\n' ' ')\"",
    '',
    'round=1; failures=0',
    'while [ "$round" -le "$ROUNDS" ]; do',
    ...endpoints.map((e) => `  probe ${shellQuote(e)} || failures=$((failures + 1))`),
    ...(repo
      ? [
          `  scope=${shellQuote(`repository:${repo}:pull`)}`,
          '  # an anonymous pull token (a short-lived JWT fetched at run time, never stored)',
          '  hub_jwt=$(curl -sS --connect-timeout "$CONNECT_TIMEOUT" --max-time "$TIMEOUT_SECONDS" \\',
          '    "https://auth.docker.io/token?service=registry.docker.io&scope=$scope" 2>/dev/null | sed -n \'s/.*"token" *: *"\\([^"]*\\)".*/\\1/p\')',
          '  if [ -n "$hub_jwt" ]; then',
          `    probe ${shellQuote(`https://registry-1.docker.io/v2/${repo}/manifests/${tag}`)} -I -H "Authorization: Bearer $hub_jwt" \\`,
          "      -H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' || failures=$((failures + 1))",
          '  else',
          `    echo "probe node=$NODE_NAME endpoint=https://auth.docker.io/token?scope=$scope time=$(now) result=fail jwt=none"; failures=$((failures + 1))`,
          '  fi',
        ]
      : []),
    '  round=$((round + 1))',
    '  [ "$round" -le "$ROUNDS" ] && sleep "$INTERVAL_SECONDS"',
    'done',
    'echo "summary node=$NODE_NAME time=$(now) rounds=$ROUNDS failures=$failures"',
    '# Idle so the logs stay readable; delete the pods to run another series.',
    'while true; do sleep 3600; done',
    '',
  ].join('\n');
}

function splitRef(ref: string): [string, string] {
  const at = ref.lastIndexOf(':');
  return at > 0 && !ref.slice(at).includes('/') ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, 'latest'];
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}
