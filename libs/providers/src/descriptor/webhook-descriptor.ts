import type { EventSource } from '../../../engine/src/ports';
import type { EventFormat } from '../events/event-types';
import { type OptionValue } from '../verification';
import type { DescriptorAlgorithm, WebhookDescriptor } from './descriptor-types';

export * from './descriptor-types';

/** The settings a descriptor generates: an ordinary provider's match script, verification and event format. */
export interface GeneratedProvider {
  matchScript: string;
  verification: { scheme: string; options: Record<string, unknown> };
  eventFormat: EventFormat;
}

/** The scheme a descriptor's algorithm makes: `custom-hmac`, or `none` for `none`. */
export function schemeOfAlgorithm(algorithm: DescriptorAlgorithm): 'custom-hmac' | 'none' {
  return algorithm === 'none' ? 'none' : 'custom-hmac';
}

/** What the descriptor's signature fields become as `custom-hmac` options; `none` has none. */
export function verificationOf(descriptor: WebhookDescriptor): GeneratedProvider['verification'] {
  if (descriptor.algorithm === 'none') return { scheme: schemeOfAlgorithm('none'), options: {} };
  const options: Record<string, unknown> = {
    algorithm: descriptor.algorithm.slice('hmac-'.length),
    header: descriptor.header,
    format: descriptor.format ?? 'hex',
    signedContent: descriptor.signedContent ?? '{body}',
  };
  if (descriptor.timestampHeader !== undefined) options.timestampHeader = descriptor.timestampHeader;
  if (descriptor.toleranceSeconds !== undefined) options.toleranceSeconds = descriptor.toleranceSeconds;
  return { scheme: schemeOfAlgorithm(descriptor.algorithm), options };
}

/** Where the `descriptor` event format reads a provider's events. */
export function eventSourceOf(descriptor: WebhookDescriptor): EventSource {
  return {
    ...(descriptor.eventHeader !== undefined && { header: descriptor.eventHeader.toLowerCase() }),
    ...(descriptor.eventField !== undefined && { field: descriptor.eventField }),
    ...(descriptor.deliveryIdHeader !== undefined && { deliveryIdHeader: descriptor.deliveryIdHeader.toLowerCase() }),
  };
}

const MAX_URI = 200;

/**
 * One `pathSuffix` entry as the uri it owns (slashes around it dropped), or why it cannot be one.
 * Entries are prefixes by whole segments, never globs: `shop` owns `shop` and `shop/orders`.
 */
export function parseOwnedUri(entry: string): OptionValue<string> {
  const uri = entry.replace(/^\/+|\/+$/g, '');
  if (uri === '') return { ok: false, reason: 'must name the uri after /webhooks/ that this provider owns, such as shopify' };
  if (uri.length > MAX_URI) return { ok: false, reason: `must be at most ${MAX_URI} characters` };
  if (/^webhooks(\/|$)/.test(uri)) return { ok: false, reason: `is the part after /webhooks/: write ${uri.slice('webhooks/'.length) || 'shopify'}, not /${uri}` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(uri)) return { ok: false, reason: 'must not contain control characters' };
  // As for function uris: no spaces, and a query never takes part in matching.
  if (/[?#\s]/.test(uri)) return { ok: false, reason: 'is a path only: no spaces, query string or fragment' };
  if (uri.includes('*')) return { ok: false, reason: 'is not a glob: each uri already owns everything under it (shop owns shop/orders), so drop the *' };
  if (uri.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return { ok: false, reason: 'must be segments separated by single slashes, without . or .. segments' };
  }
  return { ok: true, value: uri };
}

const MAX_FIELD = 200;

/** An `eventField`: a field name or a dotted path (`meta.event`, `events.0.type`). */
export function parseEventField(field: string): OptionValue<string> {
  if (field.length > MAX_FIELD) return { ok: false, reason: `must be at most ${MAX_FIELD} characters` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(field)) return { ok: false, reason: 'must not contain control characters' };
  if (field.split('.').some((step) => step === '')) return { ok: false, reason: 'must be a field name or a dotted path such as meta.event' };
  return { ok: true, value: field };
}
