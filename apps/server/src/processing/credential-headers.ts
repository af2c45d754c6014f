import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUILTIN_SCHEMES, type SignatureScheme } from '../../../../libs/providers/src';
import { SECRET_BOX } from '../common/tokens';
import type { ProviderEntity } from '../database/entities/provider.entity';
import type { SecretBox } from '../security/secret-box';
import { Catalog } from './catalog';

/** What a credential header reads as wherever a message is shown: API, scripts, automations. */
export const REDACTED = '[redacted]';

const SCHEMES = new Map<string, SignatureScheme>(BUILTIN_SCHEMES.map((s) => [s.name, s]));

// A message is stored before its provider is known, so every scheme's credential headers are
// kept out of it, whichever provider it turns out to be for.
const ALWAYS = new Set(BUILTIN_SCHEMES.flatMap((scheme) => scheme.credentialHeaders({})));

export interface StoredHeaders {
  headers: Record<string, string>;
  /** The credential headers, sealed apart; null when the request carried none. */
  credentialsSealed: string | null;
}

/**
 * Keeps tokens and passwords that senders put in headers out of stored messages: they are
 * sealed in their own column, opened only to verify (again, on resubmit), never shown.
 */
@Injectable()
export class CredentialHeaders {
  private readonly logger = new Logger('Credentials');
  /** The credential header names of the enabled providers, worked out once per catalog load. */
  private readonly providerNames = new WeakMap<readonly ProviderEntity[], ReadonlySet<string>>();

  constructor(
    private readonly catalog: Catalog,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** The headers to store, with an endpoint's own scheme when the delivery is to one. */
  async redact(headers: Record<string, string>, endpoint?: { scheme: string; options: Record<string, unknown> }): Promise<StoredHeaders> {
    const providers = await this.catalog.enabledProviders();
    let names = this.providerNames.get(providers);
    if (!names) {
      names = credentialNames(ALWAYS, providers.map((p) => ({ scheme: p.verificationScheme, options: p.verificationOptions })));
      this.providerNames.set(providers, names);
    }
    if (endpoint) names = credentialNames(names, [endpoint]);

    const stored = { ...headers };
    const credentials: Record<string, string> = {};
    for (const name of names) {
      if (!Object.hasOwn(stored, name)) continue;
      credentials[name] = stored[name];
      stored[name] = REDACTED;
    }
    return { headers: stored, credentialsSealed: Object.keys(credentials).length > 0 ? this.box.seal(JSON.stringify(credentials)) : null };
  }

  /** The headers as the sender sent them, for verification only. */
  restore(message: StoredHeaders): Record<string, string> {
    if (!message.credentialsSealed) return message.headers;
    try {
      return { ...message.headers, ...(JSON.parse(this.box.open(message.credentialsSealed)) as Record<string, string>) };
    } catch (err) {
      // Sealed under another master key: verification then fails closed on the redacted value.
      this.logger.error(`Cannot unseal a message's credential headers: ${(err as Error).message}. Was HOOKLINE_MASTER_KEY changed?`);
      return message.headers;
    }
  }
}

function credentialNames(base: ReadonlySet<string>, schemes: Array<{ scheme: string; options: Record<string, unknown> }>): ReadonlySet<string> {
  const names = new Set(base);
  for (const { scheme, options } of schemes) {
    for (const name of SCHEMES.get(scheme)?.credentialHeaders(options) ?? []) names.add(name);
  }
  return names;
}
