export type Settled<T> = { isSettled: true; value: T } | { isSettled: false };

/** Resolves with the work's value, or with `isSettled: false` once `ms` have passed. */
export function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve({ isSettled: false }), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve({ isSettled: true, value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
