import type { EventFormat } from './events/event-types';

export interface HandshakeAnswer {
  status: number;
  body: unknown;
}

/**
 * Requests a sender makes to prove the endpoint before it sends events, answered by the
 * engine itself after the signature check. Slack's Events API sends `url_verification`
 * and expects its `challenge` back.
 */
export function handshakeAnswer(format: EventFormat | string, payload: unknown): HandshakeAnswer | null {
  if (format !== 'slack' || typeof payload !== 'object' || payload === null) return null;
  const body = payload as { type?: unknown; challenge?: unknown };
  if (body.type !== 'url_verification' || typeof body.challenge !== 'string') return null;
  return { status: 200, body: { challenge: body.challenge } };
}
