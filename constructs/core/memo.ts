/**
 * A cache for pure functions of a string, such as address parsing: the same node addresses and CIDRs are read by
 * many constructs and rules of one synth. Bounded, so a long-lived process that synthesizes many apps does not grow
 * without end; when full it starts over. Errors are not cached: a bad value throws on every call.
 */
export function memoize<R>(fn: (key: string) => R, max = 8192): (key: string) => R {
  const cache = new Map<string, R>();
  return (key: string) => {
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as R;
    const value = fn(key);
    if (cache.size >= max) cache.clear();
    cache.set(key, value);
    return value;
  };
}
