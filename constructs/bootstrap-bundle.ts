/**
 * The bootstrap bundle of a cluster: what has to run, in order, before its GitOps engine can, as one script
 * (`clusters/<cluster>/bootstrap/bootstrap.sh`). Every Cluster gets one when it is synthesized.
 */
import { Construct } from 'constructs';
import { Cluster } from './cluster.js';
import { BOOTSTRAP_SCRIPT, bootstrapSteps, type BootstrapStep } from './bootstrap/steps.js';
import { renderBootstrapScript } from './bootstrap/script.js';

export type { BootstrapStep };

/**
 * What runs before the GitOps engine, in order: the Gateway API CRDs when Cilium's Gateway API is on (its operator
 * looks for them once, when it starts, and leaves its gateway controller off when they are missing), Cilium with the
 * Helm CLI from the same values file the engine reads (no pod runs before the CNI, and the engine's controllers are
 * pods), then the engine — `flux bootstrap ... --path=clusters/<cluster>`, or Argo CD and the root Application — which
 * adopts the Cilium release (same release name, namespace, chart version and values). The script is idempotent and
 * holds no credential; `reports/bootstrap.md` lists the steps with what each makes available, and the NET-BOOT rules
 * prove the order offline.
 *
 * The synthesizer adds one to every Cluster that has none (`BootstrapBundle.ensure(cluster)`).
 *
 * @see https://fluxcd.io/flux/installation/bootstrap/
 * @see https://docs.cilium.io/en/stable/network/servicemesh/gateway-api/gateway-api/#prerequisites
 */
export class BootstrapBundle extends Construct {
  /** The construct id of the bundle the synthesizer adds. */
  public static readonly ID = 'Bootstrap';

  /** The cluster's bootstrap bundle, if it has one. */
  public static of(cluster: Cluster): BootstrapBundle | undefined {
    return cluster.constructsOf(BootstrapBundle)[0];
  }

  /** The cluster's bootstrap bundle, created on first use. */
  public static ensure(cluster: Cluster): BootstrapBundle {
    return BootstrapBundle.of(cluster) ?? new BootstrapBundle(cluster, BootstrapBundle.ID);
  }

  private readonly cluster: Cluster;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.cluster = Cluster.of(this);
    if (this.cluster.constructsOf(BootstrapBundle).length > 1) throw new Error(`${this.node.path}: ${this.cluster.node.path} already has a BootstrapBundle`);
    this.cluster.addFile(BOOTSTRAP_SCRIPT, () => renderBootstrapScript(this.cluster, this.steps, this.node.path), this);
  }

  /** The steps, in order (computed from the cluster as it is now). */
  public get steps(): BootstrapStep[] {
    return bootstrapSteps(this.cluster, this);
  }
}
