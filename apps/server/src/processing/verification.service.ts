import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUILTIN_SCHEMES, type SignatureScheme } from '../../../../libs/providers/src';
import type { InboundRequest, MessageVerifier, VerificationInput, VerificationOutcome } from '../../../../libs/engine/src';
import { SECRET_BOX } from '../common/tokens';
import type { ProviderEntity } from '../database/entities/provider.entity';
import type { SecretBox } from '../security/secret-box';
import { Catalog } from './catalog';
import { openVerification, signingSecrets, type OpenedVerification, type SealedVerification } from './provider-secrets';

/** Runs a signature scheme with opened secrets. Fails closed. */
@Injectable()
export class VerificationService implements MessageVerifier {
  private readonly logger = new Logger('Verification');
  private readonly schemes = new Map<string, SignatureScheme>(BUILTIN_SCHEMES.map((s) => [s.name, s]));

  constructor(
    private readonly catalog: Catalog,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  /** With the provider's secrets as the catalog holds them, opened already. */
  async verify(input: VerificationInput): Promise<VerificationOutcome> {
    const entry = await this.catalog.provider(input.provider.id);
    const opened = entry?.verification ?? { options: {}, current: null, previous: null, previousExpiresAt: null };
    return this.verifyOpened({ ...opened, scheme: input.provider.verificationScheme }, input.request, input.now);
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
    return this.verifyOpened(openVerification(sealed, this.box, this.logger), request, now);
  }

  private verifyOpened(opened: OpenedVerification, request: InboundRequest, now: Date): VerificationOutcome {
    const scheme = this.schemes.get(opened.scheme);
    if (!scheme) return { ok: false, reason: `unknown verification scheme "${opened.scheme}"` };
    const base = { rawBody: request.rawBody, headers: request.headers, query: request.query, now };
    if (!scheme.needsSecret) return scheme.verify({ ...base, secrets: [], options: opened.options });
    const secrets = signingSecrets(opened, now);
    if (secrets.length === 0) return { ok: false, reason: 'no secret configured' };
    return scheme.verify({ ...base, secrets, options: opened.options });
  }
}
