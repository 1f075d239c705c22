/**
 * Collapses concurrent calls with the same key in this process into one: the first caller runs
 * `run`, the others await its result. Across processes, callers pair this with a row lock.
 */
const inFlight = new Map<string, Promise<unknown>>();

export function singleFlight<T>(key: string, run: () => Promise<T>): Promise<T> {
  const existing = inFlight.get(key);
  if (existing) return existing as Promise<T>;
  const promise = run().finally(() => inFlight.delete(key));
  inFlight.set(key, promise);
  return promise;
}
