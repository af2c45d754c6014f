import type { Logger } from '@nestjs/common';
import type { ProviderDefinition } from '../../../../libs/engine/src';
import { eventSourceOf } from '../../../../libs/providers/src';
import type { ProviderEntity } from '../database/entities/provider.entity';
import type { SecretBox } from '../security/secret-box';

/** A scheme with its secrets still sealed, as providers and endpoints store them. */
export interface SealedVerification {
  owner: string;
  scheme: string;
  secretSealed: string | null;
  previousSecretSealed?: string | null;
  previousSecretExpiresAt?: Date | null;
  options: Record<string, unknown>;
}

/** A scheme with its signing secrets opened: kept in memory only, never stored or returned. */
export interface OpenedVerification {
  scheme: string;
  options: Record<string, unknown>;
  current: string | null;
  previous: string | null;
  previousExpiresAt: Date | null;
}

export type SigningSecret = { which: 'current' | 'previous'; value: string };

/** Opens a scheme's secrets; a secret sealed under another master key fails closed (no secrets) and is logged. */
export function openVerification(sealed: SealedVerification, box: SecretBox, logger: Logger): OpenedVerification {
  const opened = { scheme: sealed.scheme, options: sealed.options, current: null, previous: null, previousExpiresAt: sealed.previousSecretExpiresAt ?? null };
  try {
    return {
      ...opened,
      current: sealed.secretSealed ? box.open(sealed.secretSealed) : null,
      previous: sealed.previousSecretSealed ? box.open(sealed.previousSecretSealed) : null,
    };
  } catch (err) {
    logger.error(`Cannot unseal the secret of ${sealed.owner}: ${(err as Error).message}. Was HOOKLINE_MASTER_KEY changed?`);
    return opened;
  }
}

/** The secrets a signature may be made with at `now`: the previous one only until it expires. */
export function signingSecrets(opened: OpenedVerification, now: Date): SigningSecret[] {
  const secrets: SigningSecret[] = [];
  if (opened.current !== null) secrets.push({ which: 'current', value: opened.current });
  const previousValid = !opened.previousExpiresAt || opened.previousExpiresAt > now;
  if (opened.previous !== null && previousValid) secrets.push({ which: 'previous', value: opened.previous });
  return secrets;
}

export function sealedVerificationOf(row: ProviderEntity): SealedVerification {
  return {
    owner: `provider ${row.name}`,
    scheme: row.verificationScheme,
    secretSealed: row.secretSealed,
    previousSecretSealed: row.previousSecretSealed,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    options: row.verificationOptions,
  };
}

/** A provider as the engine runs it, its secret properties opened for scripts. */
export function providerDefinition(row: ProviderEntity, box: SecretBox, logger: Logger): ProviderDefinition {
  const secrets: Record<string, string> = {};
  for (const [name, sealed] of Object.entries(row.secretProperties)) {
    try {
      secrets[name] = box.open(sealed);
    } catch (err) {
      // Sealed under another master key: the script sees the property as missing.
      logger.error(`Cannot unseal secret property "${name}" of provider ${row.name}: ${(err as Error).message}. Was HOOKLINE_MASTER_KEY changed?`);
    }
  }
  return {
    id: row.id,
    name: row.name,
    priority: row.priority,
    matchScript: row.matchScript,
    properties: row.properties,
    secrets,
    verificationScheme: row.verificationScheme,
    eventFormat: row.eventFormat,
    ...(row.descriptor && { eventSource: eventSourceOf(row.descriptor) }),
  };
}
