/**
 * @module
 * A promise raced against a timer: what bounds a store statement and the wait for the first read at
 * start-up. The timer is cleared whichever wins, so none keeps the process alive or fires late.
 */

/** `work`'s outcome, or the rejection `late()` makes if `ms` pass first. */
export async function withDeadline<T>(work: PromiseLike<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(late()), ms)));
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
