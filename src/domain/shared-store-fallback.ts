/**
 * Runs an operation on the shared store (Redis) while it answers and on the local one while
 * it does not, so an outage of the shared store degrades limits to per-node instead of
 * failing the request with a server error. `onError` hears of every fallback.
 */
export function preferShared<S>(shared: S, local: S, onError: (err: unknown) => void): <T>(fn: (store: S) => Promise<T>) => Promise<T> {
  return async (fn) => {
    try {
      return await fn(shared);
    } catch (err) {
      onError(err);
      return fn(local);
    }
  };
}
