import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares digests so that neither content nor length leaks through timing. */
export function constantTimeEquals(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Constant-time for equal lengths; a length difference (public: digest sizes) returns early. */
export function bytesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
