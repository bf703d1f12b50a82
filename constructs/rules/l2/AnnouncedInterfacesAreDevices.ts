import { l2Policies } from './model.js';
import { at, renderedCilium } from '../cilium/model.js';
import { defineRule } from '../rule.js';
import { translateRe2 } from '../../schema/native-pattern.js';

/**
 * Cilium's `devices` as the agent reads them: a list, or one string of entries separated by commas or spaces (the
 * chart joins a list with spaces; the 1.20 values document `"net0,eth+"`). An entry ending in `+` stands for every
 * device whose name starts with what precedes the `+` (iptables style: `eth+` is eth0, eth1, ...); from 1.20 an
 * entry starting with `!` excludes devices.
 */
interface DeviceFilter {
  /** Every entry as given, for the finding. */
  readonly entries: readonly string[];
  /** Plain device names that are included and not excluded. */
  readonly names: readonly string[];
  /** Prefixes of the `+` entries that are included. */
  readonly prefixes: readonly string[];
}

function deviceFilter(raw: unknown): DeviceFilter | undefined {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  const entries = list.flatMap((e) => String(e ?? '').split(/[\s,]+/)).filter(Boolean);
  const excluded = new Set(entries.filter((e) => e.startsWith('!')).map((e) => e.slice(1)));
  const included = entries.filter((e) => !e.startsWith('!'));
  // No device named (unset, empty, or exclusions only): the agent detects the devices itself, and we cannot list them.
  if (!included.length) return undefined;
  return {
    entries,
    names: included.filter((e) => !e.endsWith('+') && !excluded.has(e)),
    prefixes: included.filter((e) => e.endsWith('+')).map((e) => e.replace(/\++$/, '')),
  };
}

/** Splits a regex source at its top-level `|` (outside groups and character classes). */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

const META = new Set([...'\\.[](){}|*+?^$']);
const OPTIONAL = new Set(['?', '*', '{']);

/** The literal characters `source` starts with, and whether they are all of it. A character made optional by `?`, `*` or `{` is left out. */
function literalRun(source: string): { text: string; whole: boolean } {
  let i = 0;
  while (i < source.length && !META.has(source[i]!)) i++;
  const optionalLast = i > 0 && i < source.length && OPTIONAL.has(source[i]!);
  return { text: source.slice(0, optionalLast ? i - 1 : i), whole: i === source.length };
}

/**
 * What every name the regex matches must start with: one literal text per way the regex can begin (`^(eth|en)` gives
 * eth and en), or undefined when the regex may match anywhere in a name (not anchored with `^`) or begins in a way this
 * reading does not follow. An empty text means "anything".
 */
function anchoredStarts(source: string): string[] | undefined {
  const out: string[] = [];
  for (const branch of alternatives(source)) {
    if (!branch.startsWith('^')) return undefined;
    const body = branch.slice(1);
    if (!body.startsWith('(')) {
      out.push(literalRun(body).text);
      continue;
    }
    // A leading group of literal alternatives, as in the L2Pool default `^(eth|en)`.
    let depth = 0;
    let end = -1;
    for (let i = 0; i < body.length && end < 0; i++) {
      if (body[i] === '\\') i++;
      else if (body[i] === '(') depth++;
      else if (body[i] === ')' && --depth === 0) end = i;
    }
    const inner = end > 0 ? body.slice(1, end).replace(/^\?:/, '') : '';
    const after = end > 0 ? body.slice(end + 1) : '';
    if (end < 0 || inner.startsWith('?') || OPTIONAL.has(after[0] ?? '')) {
      out.push('');
      continue;
    }
    const rest = after.startsWith('+') ? '' : literalRun(after).text;
    for (const alt of alternatives(inner)) {
      const run = literalRun(alt);
      out.push(run.whole ? run.text + rest : run.text);
    }
  }
  return out;
}

/**
 * Whether an interface regex can select one of the devices. The agent matches each regex, unanchored
 * (`regexp.MatchString`), against the names of the devices it selected (pkg/l2announcer).
 *
 * - A plain device name is tested directly.
 * - A `+` entry stands for names we cannot list, so the regex counts as matching it unless it provably cannot: every
 *   top-level alternative is anchored with `^` and begins with a literal text (`^wlan`, or the alternatives of a
 *   leading group, `^(eth|en)`) that neither starts with the entry's prefix nor is a beginning of it. A regex this
 *   reading does not follow (lookarounds, a leading class or escape) counts as matching: the rule errs towards silence.
 * - An exclusion removes the plain name it repeats (`eth0,eth1,!eth1`); exclusions of or under a `+` entry (`!eth+`,
 *   `eth+,!eth0`) are not followed, the `+` entry is taken whole.
 */
function matchesDevices(regex: RegExp, devices: DeviceFilter): boolean {
  if (devices.names.some((name) => regex.test(name))) return true;
  if (!devices.prefixes.length) return false;
  const starts = anchoredStarts(regex.source);
  return devices.prefixes.some((prefix) => regex.test(prefix) || starts === undefined || starts.some((s) => s.startsWith(prefix) || prefix.startsWith(s)));
}

/** NET-L2P15: when Cilium's devices are set, every interface regex of every L2 announcement policy matches one of them. */
export const AnnouncedInterfacesAreDevices = defineRule({
  id: 'NET-L2P15',
  level: 'error',
  title: "L2 announcement interfaces are among Cilium's devices",
  lesson:
    "The agent announces only on the devices it attaches to: the policy's interface regexes are matched against those " +
    'devices, not against every interface of the node. With `devices` set, a regex that matches none of them (the L2Pool ' +
    'default `^(eth|en)` beside `devices: [bond0]`) selects nothing, and no ARP answer leaves that interface.',
  source:
    'Cilium L2 announcements documentation (requirements: devices); cilium pkg/l2announcer (interfaces matched against the selected devices); FACTS "LB-IPAM and L2 announcements"',
  fix: "Make the policy's interfaces match the devices Cilium attaches to (L2Pool `interfaces`), add the LAN interface to the CiliumRelease `devices`, or leave `devices` unset so Cilium detects them.",
  *check(ctx) {
    const cilium = renderedCilium(ctx);
    // forceDeviceDetection adds every detected device to the listed ones: the devices are no longer known here.
    if (!cilium || at(cilium.values, 'forceDeviceDetection') === true) return;
    const devices = deviceFilter(cilium.values.devices);
    if (!devices) return;
    for (const p of l2Policies(ctx.objects)) {
      const interfaces: unknown[] = Array.isArray(p.json.spec?.interfaces) ? p.json.spec.interfaces : [];
      const unmatched = interfaces
        .map((i) => String(i))
        .filter((i) => {
          // the agent reads the regex with Go's RE2: only a pattern that means the same in JavaScript is compared, any
          // other (POSIX classes, \z, inline flags) is left alone rather than misread
          const js = translateRe2(i);
          if (js === undefined) return false;
          let regex: RegExp;
          try {
            regex = new RegExp(js, 'u');
          } catch {
            return false; // NET-L2P13 reports an invalid regex
          }
          return !matchesDevices(regex, devices);
        });
      if (!unmatched.length) continue;
      yield {
        at: p.path,
        message:
          `L2 policy ${p.name} announces on interfaces ${interfaces.join(', ')}, but Cilium's devices are ${devices.entries.join(', ')}: ` +
          `${unmatched.join(', ')} ${unmatched.length === 1 ? 'matches' : 'match'} none of them, so nothing is announced there`,
        value: { policy: p.name, interfaces, devices: devices.entries },
        expected: `interface regexes that each match one of Cilium's devices (${devices.entries.join(', ')})`,
      };
    }
  },
});
