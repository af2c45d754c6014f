/*
 * The descriptor's shape, in a file of its own without imports: the console reads it through the
 * provider view.
 */

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
