// At most `limit` hosts at a time (`--parallel N`). Results keep the input order; once
// `stopped()` says so (^C, SIGTERM) no further item starts and `skip` gives its result.
export async function runLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  skip: (item: T, index: number) => R,
  stopped: () => boolean = () => false,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      results[index] = stopped() ? skip(item, index) : await work(item, index);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker());
  await Promise.all(workers);
  return results;
}
