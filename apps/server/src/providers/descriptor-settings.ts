import { isDeepStrictEqual } from 'node:util';
import { generateFromDescriptor, type GeneratedProvider, type WebhookDescriptor } from '../../../../libs/providers/src';
import type { ProviderEntity } from '../database/entities/provider.entity';

/** The provider columns a descriptor decides. */
export type DescriptorColumns = Pick<ProviderEntity, 'matchScript' | 'verificationScheme' | 'verificationOptions' | 'eventFormat' | 'descriptor'>;

/** What a save sends beside its descriptor; each field sent wins over what the descriptor generates. */
export interface SentBeside {
  matchScript?: string;
  verification?: { scheme?: string; options?: Record<string, unknown> };
  eventFormat?: string;
}

/**
 * The columns a save with a descriptor writes. A scheme sent beside it brings its own options
 * (or none); options sent alone apply to the generated scheme. So a version restore, which
 * sends the descriptor with the settings it had, restores exactly those settings.
 */
export function columnsFromDescriptor(descriptor: WebhookDescriptor, sent: SentBeside): DescriptorColumns {
  const generated = generateFromDescriptor(descriptor);
  const scheme = sent.verification?.scheme ?? generated.verification.scheme;
  const generatedOptions = scheme === generated.verification.scheme ? generated.verification.options : {};
  return {
    matchScript: sent.matchScript ?? generated.matchScript,
    verificationScheme: scheme,
    verificationOptions: sent.verification?.options ?? generatedOptions,
    eventFormat: sent.eventFormat ?? generated.eventFormat,
    descriptor,
  };
}

/**
 * Whether the provider's match script, verification or event format differ from what its
 * descriptor generates today: an admin edited them after generating, or sent them beside it.
 */
export function isEditedSinceGenerated(provider: DescriptorColumns & { descriptor: WebhookDescriptor }): boolean {
  const generated: GeneratedProvider = generateFromDescriptor(provider.descriptor);
  return (
    provider.matchScript !== generated.matchScript ||
    provider.verificationScheme !== generated.verification.scheme ||
    // jsonb keeps no key order; the comparison ignores it too.
    !isDeepStrictEqual(provider.verificationOptions, generated.verification.options) ||
    provider.eventFormat !== generated.eventFormat
  );
}

/** Why the provider's event settings cannot be saved, or undefined: the descriptor format reads the event from a descriptor. */
export function eventSourceProblem(provider: Pick<ProviderEntity, 'eventFormat' | 'descriptor'>, removingDescriptor: boolean): Record<string, string> | undefined {
  if (provider.eventFormat !== 'descriptor' || provider.descriptor !== null) return undefined;
  if (removingDescriptor) {
    return { descriptor: 'cannot be removed while eventFormat is descriptor, which reads the event from it: send another eventFormat with it' };
  }
  return { eventFormat: 'descriptor reads the event from the provider\'s descriptor, and this provider has none: send a descriptor, or choose another format' };
}
