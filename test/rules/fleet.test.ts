/** The example fleet is compliant with the hygiene rules: guards against false positives on real constructs. */
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { buildFleet } from '../../main.js';
import { run, tempDir } from '../helpers.js';

describe('example fleet', () => {
  it('has no secret, ownership or image finding', async () => {
    const outcome = await run(buildFleet(new App({ outdir: tempDir('netkit-fleet-dist-') })));
    expect(outcome.findings.filter((f) => /^NET-(SEC|OWN|IMG)\d+$/.test(f.ruleId))).toEqual([]);
    expect(outcome.result?.clusters.flatMap((c) => c.acknowledged).filter((f) => /^NET-(SEC|OWN|IMG)\d+$/.test(f.ruleId)) ?? []).toEqual([]);
  });
});
