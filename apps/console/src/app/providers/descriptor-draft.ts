import { DESCRIPTOR_ALGORITHMS, type DescriptorAlgorithm } from '../../../../../libs/providers/src/descriptor/descriptor-types';
import { numberOrText } from '../shared/number-text';
import type { ProviderChanges } from './providers.api';

export { DESCRIPTOR_ALGORITHMS };

/** The descriptor form's state: texts as the inputs hold them. */
export interface DescriptorDraft {
  algorithm: DescriptorAlgorithm;
  header: string;
  format: string;
  signedContent: string;
  timestampHeader: string;
  toleranceSeconds: string;
  /** One uri per line. */
  pathSuffix: string;
  /** Where the event type is: a header, or a payload field. */
  eventFrom: 'header' | 'field';
  eventName: string;
  deliveryIdHeader: string;
}

export function newDescriptorDraft(): DescriptorDraft {
  return {
    algorithm: 'hmac-sha256',
    header: '',
    format: 'hex',
    signedContent: '{body}',
    timestampHeader: '',
    toleranceSeconds: '',
    pathSuffix: '',
    eventFrom: 'header',
    eventName: '',
    deliveryIdHeader: '',
  };
}

/**
 * The descriptor to send. Blank fields are left out, so the server applies its defaults and names
 * what is missing; with algorithm none the signature fields are left out, as it asks.
 */
export function descriptorOf(draft: DescriptorDraft): Record<string, unknown> {
  const given = (text: string) => text.trim() !== '';
  const signs = draft.algorithm !== 'none';
  return {
    algorithm: draft.algorithm,
    ...(signs && given(draft.header) && { header: draft.header.trim() }),
    ...(signs && given(draft.format) && { format: draft.format.trim() }),
    ...(signs && given(draft.signedContent) && { signedContent: draft.signedContent }),
    ...(signs && given(draft.timestampHeader) && { timestampHeader: draft.timestampHeader.trim() }),
    ...(signs && given(draft.toleranceSeconds) && { toleranceSeconds: numberOrText(draft.toleranceSeconds) }),
    pathSuffix: draft.pathSuffix
      .split('\n')
      .map((uri) => uri.trim())
      .filter((uri) => uri !== ''),
    ...(given(draft.eventName) && { [draft.eventFrom === 'header' ? 'eventHeader' : 'eventField']: draft.eventName.trim() }),
    ...(given(draft.deliveryIdHeader) && { deliveryIdHeader: draft.deliveryIdHeader.trim() }),
  };
}

/**
 * A new provider's changes with a descriptor in place of what it generates: no match script,
 * event format, scheme or options (the server makes them); secrets and the rest as typed.
 */
export function withDescriptor(changes: ProviderChanges, draft: DescriptorDraft): ProviderChanges {
  const { matchScript: _script, eventFormat: _format, verification, ...rest } = changes;
  const { scheme: _scheme, options: _options, ...secrets } = verification ?? {};
  return { ...rest, verification: secrets, descriptor: descriptorOf(draft) };
}
