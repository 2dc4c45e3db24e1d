/** Many small asks of Genesys made at once, answered with one call. */

interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Batches calls made in the same turn of the event loop into one call of `load` with their distinct keys.
 * A key `load` leaves out resolves to undefined; a failure of `load` rejects every caller of the batch.
 */
export function coalesced<K, V>(load: (keys: K[]) => Promise<ReadonlyMap<K, V>>): (key: K) => Promise<V | undefined> {
  let waiting: Map<K, Waiter<V>[]> | undefined;
  async function flush(batch: NonNullable<typeof waiting>) {
    try {
      const values = await load([...batch.keys()]);
      for (const [key, callers] of batch) for (const caller of callers) caller.resolve(values.get(key));
    } catch (error) {
      for (const callers of batch.values()) for (const caller of callers) caller.reject(error);
    }
  }
  return (key) =>
    new Promise((resolve, reject) => {
      if (waiting === undefined) {
        const batch = new Map<K, Waiter<V>[]>();
        waiting = batch;
        setImmediate(() => {
          waiting = undefined;
          void flush(batch);
        });
      }
      const callers = waiting.get(key) ?? [];
      callers.push({ resolve, reject });
      waiting.set(key, callers);
    });
}
