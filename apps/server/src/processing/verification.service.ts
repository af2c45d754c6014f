import { Inject, Injectable, Logger } from '@nestjs/common';
import { BUILTIN_SCHEMES, type SignatureScheme } from '../../../../libs/providers/src';
import type { MessageVerifier, VerificationInput, VerificationOutcome } from '../../../../libs/engine/src';
import { SECRET_BOX } from '../common/tokens';
import type { ProviderEntity } from '../database/entities/provider.entity';
import type { SecretBox } from '../security/secret-box';
import { Catalog } from './catalog';

/** Runs the provider's signature scheme with its unsealed secrets. Fails closed. */
@Injectable()
export class VerificationService implements MessageVerifier {
  private readonly logger = new Logger('Verification');
  private readonly schemes = new Map<string, SignatureScheme>(BUILTIN_SCHEMES.map((s) => [s.name, s]));

  constructor(
    private readonly catalog: Catalog,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async verify(input: VerificationInput): Promise<VerificationOutcome> {
    const scheme = this.schemes.get(input.provider.verificationScheme);
    if (!scheme) return { ok: false, reason: `unknown verification scheme "${input.provider.verificationScheme}"` };
    if (!scheme.needsSecret) return scheme.verify({ ...this.request(input), secrets: [], options: {} });
    const row = await this.catalog.provider(input.provider.id);
    const secrets = row ? this.secretsOf(row, input.now) : [];
    if (!row || secrets.length === 0) return { ok: false, reason: 'no secret configured' };
    return scheme.verify({ ...this.request(input), secrets, options: row.verificationOptions });
  }

  private request(input: VerificationInput) {
    return { rawBody: input.request.rawBody, headers: input.request.headers, query: input.request.query, now: input.now };
  }

  private secretsOf(row: ProviderEntity, now: Date): Array<{ which: 'current' | 'previous'; value: string }> {
    const secrets: Array<{ which: 'current' | 'previous'; value: string }> = [];
    try {
      if (row.secretSealed) secrets.push({ which: 'current', value: this.box.open(row.secretSealed) });
      const previousValid = row.previousSecretExpiresAt === null || row.previousSecretExpiresAt > now;
      if (row.previousSecretSealed && previousValid) secrets.push({ which: 'previous', value: this.box.open(row.previousSecretSealed) });
    } catch (err) {
      // A secret sealed under another master key cannot be opened: fail closed and say so.
      this.logger.error(`Cannot unseal the secret of provider ${row.name}: ${(err as Error).message}. Was HOOKLINE_MASTER_KEY changed?`);
      return [];
    }
    return secrets;
  }
}
