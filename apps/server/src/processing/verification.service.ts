import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUILTIN_SCHEMES, type SignatureScheme } from '../../../../libs/providers/src';
import type { InboundRequest, MessageVerifier, VerificationInput, VerificationOutcome } from '../../../../libs/engine/src';
import { SECRET_BOX } from '../common/tokens';
import type { ProviderEntity } from '../database/entities/provider.entity';
import type { SecretBox } from '../security/secret-box';
import { Catalog } from './catalog';

/** A scheme with its secrets still sealed, as providers and endpoints store them. */
export interface SealedVerification {
  owner: string;
  scheme: string;
  secretSealed: string | null;
  previousSecretSealed?: string | null;
  previousSecretExpiresAt?: Date | null;
  options: Record<string, unknown>;
}

/** Runs a signature scheme with unsealed secrets. Fails closed. */
@Injectable()
export class VerificationService implements MessageVerifier {
  private readonly logger = new Logger('Verification');
  private readonly schemes = new Map<string, SignatureScheme>(BUILTIN_SCHEMES.map((s) => [s.name, s]));

  constructor(
    private readonly catalog: Catalog,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async verify(input: VerificationInput): Promise<VerificationOutcome> {
    const row = await this.catalog.provider(input.provider.id);
    return this.verifyProvider(input.provider.name, row, { scheme: input.provider.verificationScheme }, input.request, input.now);
  }

  /** With the provider's stored secrets; a test of a draft passes its own scheme and options. */
  verifyProvider(
    name: string,
    row: ProviderEntity | undefined,
    draft: { scheme: string; options?: Record<string, unknown> },
    request: InboundRequest,
    now: Date,
  ): VerificationOutcome {
    return this.verifyWith(
      {
        owner: `provider ${name}`,
        scheme: draft.scheme,
        secretSealed: row?.secretSealed ?? null,
        previousSecretSealed: row?.previousSecretSealed ?? null,
        previousSecretExpiresAt: row?.previousSecretExpiresAt ?? null,
        options: draft.options ?? row?.verificationOptions ?? {},
      },
      request,
      now,
    );
  }

  verifyWith(sealed: SealedVerification, request: InboundRequest, now: Date): VerificationOutcome {
    const scheme = this.schemes.get(sealed.scheme);
    if (!scheme) return { ok: false, reason: `unknown verification scheme "${sealed.scheme}"` };
    const base = { rawBody: request.rawBody, headers: request.headers, query: request.query, now };
    if (!scheme.needsSecret) return scheme.verify({ ...base, secrets: [], options: sealed.options });
    const secrets = this.unseal(sealed, now);
    if (secrets.length === 0) return { ok: false, reason: 'no secret configured' };
    return scheme.verify({ ...base, secrets, options: sealed.options });
  }

  private unseal(sealed: SealedVerification, now: Date): Array<{ which: 'current' | 'previous'; value: string }> {
    const secrets: Array<{ which: 'current' | 'previous'; value: string }> = [];
    try {
      if (sealed.secretSealed) secrets.push({ which: 'current', value: this.box.open(sealed.secretSealed) });
      const previousValid = !sealed.previousSecretExpiresAt || sealed.previousSecretExpiresAt > now;
      if (sealed.previousSecretSealed && previousValid) secrets.push({ which: 'previous', value: this.box.open(sealed.previousSecretSealed) });
    } catch (err) {
      // A secret sealed under another master key cannot be opened: fail closed and say so.
      this.logger.error(`Cannot unseal the secret of ${sealed.owner}: ${(err as Error).message}. Was HOOKLINE_MASTER_KEY changed?`);
      return [];
    }
    return secrets;
  }
}
