import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** A published request of a sender, with the descriptor that describes it (test/fixtures/descriptor). */
export interface DescriptorVector {
  id: string;
  sender: string;
  descriptor: Record<string, unknown> & { pathSuffix: string[] };
  secret: string;
  body: Buffer;
  /** As the sender sends them, in its own case. */
  headers: Record<string, string>;
  /** Unix seconds the signature was made at, for templates that sign a timestamp. */
  signedAt?: number;
  uri: string;
  eventType: string;
  deliveryId: string | null;
}

interface StoredVector extends Omit<DescriptorVector, 'body'> {
  body?: string;
  bodyFile?: string;
}

/** The vectors, each body as exact bytes. */
export function descriptorVectors(): DescriptorVector[] {
  const stored = JSON.parse(readFileSync(join(FIXTURES, 'descriptor', 'vectors.json'), 'utf8')) as StoredVector[];
  return stored.map(({ body, bodyFile, ...vector }) => ({
    ...vector,
    body: bodyFile !== undefined ? readFileSync(join(FIXTURES, bodyFile)) : Buffer.from(body ?? '', 'utf8'),
  }));
}

/** Header names in lower case, as they reach schemes and scripts. */
export function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
