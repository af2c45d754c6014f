import { z } from 'zod';
import {
  DESCRIPTOR_ALGORITHMS,
  customHmacScheme,
  parseEventField,
  parseHeaderName,
  parseOwnedUri,
  parseSignatureFormat,
  parseSignedContent,
  schemeOfAlgorithm,
  verificationOf,
  type WebhookDescriptor,
} from '../../../../libs/providers/src';

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A string field read by one of the scheme's own parsers, so the API and the scheme agree on what is valid. */
function checkedText(expected: string, parse: (text: string) => Parsed<unknown>) {
  return z.string({ error: `must be a string: ${expected}` }).superRefine((text, ctx) => {
    const parsed = parse(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
  });
}

const HeaderName = checkedText('an HTTP header name', parseHeaderName);

const MAX_URIS = 20;

const OwnedUri = z.string({ error: 'must be a string: a uri after /webhooks/' }).transform((entry, ctx) => {
  const parsed = parseOwnedUri(entry);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: parsed.reason });
  return z.NEVER;
});

/** One uri or a list; stored as a list without repeats. */
const PathSuffix = z.preprocess(
  (value) => (typeof value === 'string' ? [value] : value),
  z
    .array(OwnedUri, { error: 'must be a uri after /webhooks/, or a list of them' })
    .min(1, 'must name at least one uri')
    .max(MAX_URIS, `must name at most ${MAX_URIS} uris`)
    .transform((uris) => [...new Set(uris)]),
);

const SIGNATURE_FIELDS = ['header', 'format', 'signedContent', 'timestampHeader', 'toleranceSeconds'] as const;

/** `POST /api/providers` and `PUT /api/providers/:id` take this as `descriptor`, and the preview route too. */
export const DescriptorInput = z
  .strictObject(
    {
      algorithm: z.enum(DESCRIPTOR_ALGORITHMS, { error: `must be one of ${DESCRIPTOR_ALGORITHMS.join(', ')}` }).meta({ description: 'The HMAC the sender signs with; none verifies nothing' }),
      header: HeaderName.optional().meta({ description: 'The header that carries the signature, e.g. X-Shopify-Hmac-Sha256; required unless algorithm is none' }),
      format: checkedText('hex, base64 or a prefix followed by {hex} or {base64}', parseSignatureFormat)
        .optional()
        .meta({ description: 'hex (default), base64, or a prefix followed by {hex} or {base64}, such as sha256={hex}; the prefix is read in any case' }),
      signedContent: checkedText('{body}, or a template such as {timestamp}.{body}', parseSignedContent)
        .optional()
        .meta({ description: 'What is signed: {body} (default, the raw body bytes), or a template around it such as {timestamp}.{body}' }),
      timestampHeader: HeaderName.optional().meta({ description: 'The header whose Unix seconds fill {timestamp}; required exactly when signedContent uses {timestamp}' }),
      toleranceSeconds: z
        .number({ error: 'must be a positive number of seconds' })
        .positive('must be a positive number of seconds')
        .optional()
        .meta({ description: 'How far the timestamp may be from now, either way (default 300); only with timestampHeader' }),
      pathSuffix: PathSuffix.meta({ description: 'The uri after /webhooks/ this provider owns, or a list of them; each owns everything under it too' }),
      eventHeader: HeaderName.optional().meta({ description: 'The header whose value is the event type, e.g. X-Shopify-Topic' }),
      eventField: checkedText('a field name or a dotted path such as meta.event', parseEventField)
        .optional()
        .meta({ description: 'The payload field (a dotted path, array indexes allowed: events.0.type) whose value is the event type' }),
      deliveryIdHeader: HeaderName.optional().meta({ description: 'The header with the delivery id the sender repeats on retries, for duplicate detection' }),
    },
    { error: 'must be an object like {algorithm, header, format, pathSuffix, eventHeader}' },
  )
  .superRefine((descriptor, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (descriptor.algorithm === 'none') {
      for (const field of SIGNATURE_FIELDS) {
        if (descriptor[field] !== undefined) problem(field, `must be left out: algorithm none verifies nothing (choose an hmac-* algorithm to check a signature)`);
      }
    } else if (descriptor.header === undefined) {
      problem('header', `is required with ${descriptor.algorithm}: the header that carries the signature, such as X-Shopify-Hmac-Sha256`);
    } else {
      // What the fields mean together (a timestamp header and the template that signs it).
      const together = customHmacScheme.checkOptions?.(verificationOf(descriptor as WebhookDescriptor).options);
      if (together !== undefined) ctx.addIssue({ code: 'custom', message: together });
    }
    if (descriptor.eventHeader === undefined && descriptor.eventField === undefined) {
      problem('eventHeader', 'or eventField is required: where the sender names the event (a header, or a field of the payload)');
    }
    if (descriptor.eventHeader !== undefined && descriptor.eventField !== undefined) problem('eventField', 'must be left out when eventHeader is given: the event is read from one place');
  })
  .meta({
    id: 'WebhookDescriptorInput',
    description:
      'How a sender signs its webhooks, which uris (after /webhooks/) it sends to, and where it names its event. algorithm none verifies nothing and takes no signature fields; ' +
      'otherwise header is required. pathSuffix is one uri or a list: each owns itself and everything under it (shop owns shop/orders), no globs. ' +
      'Exactly one of eventHeader and eventField (a dotted path into the JSON or form payload). Generates a custom-hmac (or none) verification, the descriptor event format and a match script.',
  });

export const DescriptorPreviewInput = z.strictObject({ descriptor: DescriptorInput });

/** The scheme a request's descriptor generates, read before validation to check `verification.options` sent beside it. */
export function descriptorSchemeIn(body: unknown): string | undefined {
  const algorithm = (body as { descriptor?: { algorithm?: unknown } } | null | undefined)?.descriptor?.algorithm;
  const known = DESCRIPTOR_ALGORITHMS.find((name) => name === algorithm);
  return known === undefined ? undefined : schemeOfAlgorithm(known);
}
