import type { EventSource } from '../../../engine/src/ports';
import type { EventFormat } from '../events/event-types';
import { type OptionValue } from '../verification';

/** The signature algorithms a descriptor can name; `none` verifies nothing. */
export const DESCRIPTOR_ALGORITHMS = ['hmac-sha256', 'hmac-sha1', 'hmac-sha512', 'none'] as const;
export type DescriptorAlgorithm = (typeof DESCRIPTOR_ALGORITHMS)[number];

/**
 * What a sender's webhooks look like, declared rather than scripted: how they are signed, which
 * URIs they arrive on, and where they name their event. Stored with the provider made from it,
 * `pathSuffix` as a list of uris without leading or trailing slashes.
 */
export interface WebhookDescriptor {
  algorithm: DescriptorAlgorithm;
  /** The signature header; required unless `algorithm` is `none`. */
  header?: string;
  /** `hex` (default), `base64`, or a prefix followed by `{hex}` or `{base64}`, such as `sha256={hex}`. */
  format?: string;
  /** `{body}` (default), or a template around it such as `{timestamp}.{body}`. */
  signedContent?: string;
  /** The header whose Unix seconds fill `{timestamp}`. */
  timestampHeader?: string;
  /** How far the timestamp may be from now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The uris after /webhooks/ this provider owns, each with everything under it. */
  pathSuffix: string[];
  /** The header that names the event; exactly one of this and `eventField`. */
  eventHeader?: string;
  /** The payload field (a dotted path) that names the event. */
  eventField?: string;
  /** The header with the sender's delivery id, for duplicate detection. */
  deliveryIdHeader?: string;
}

/** The settings a descriptor generates: an ordinary provider's match script, verification and event format. */
export interface GeneratedProvider {
  matchScript: string;
  verification: { scheme: string; options: Record<string, unknown> };
  eventFormat: EventFormat;
}

/** What the descriptor's signature fields become as `custom-hmac` options; `none` has none. */
export function verificationOf(descriptor: WebhookDescriptor): GeneratedProvider['verification'] {
  if (descriptor.algorithm === 'none') return { scheme: 'none', options: {} };
  const options: Record<string, unknown> = {
    algorithm: descriptor.algorithm.slice('hmac-'.length),
    header: descriptor.header,
    format: descriptor.format ?? 'hex',
    signedContent: descriptor.signedContent ?? '{body}',
  };
  if (descriptor.timestampHeader !== undefined) options.timestampHeader = descriptor.timestampHeader;
  if (descriptor.toleranceSeconds !== undefined) options.toleranceSeconds = descriptor.toleranceSeconds;
  return { scheme: 'custom-hmac', options };
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
  if (/[?#]/.test(uri)) return { ok: false, reason: 'is a path: leave out ? and # (the query string is not part of the uri)' };
  if (uri.includes('*')) return { ok: false, reason: 'is not a glob: each uri already owns everything under it (shop owns shop/orders), so drop the *' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(uri)) return { ok: false, reason: 'must not contain control characters' };
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
