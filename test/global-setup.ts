/**
 * Every temporary folder of a test run lives under one folder that is removed when the run ends: the tests make
 * thousands of them (a synth per case), and /tmp kept them all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'netkit-tests-'));
  // os.tmpdir() reads TMPDIR on each call, and the test workers inherit it
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
