import { z } from 'zod';
import { GIT_PROVIDER_KINDS } from '../../../../libs/engine/src/scm-hosts';
import { instant, uuid } from '../docs/contract';

/** The kinds of failure a Git host call reports. */
export const ScmFailureKindSchema = z.enum(['auth', 'not_found', 'rate_limited', 'unavailable', 'invalid']);

const nullableString = (description: string) => z.string().nullable().describe(description);

/** A Git provider as the API answers it: never its token. */
export const GitProviderView = z
  .strictObject({
    id: uuid,
    name: z.string().describe('Unique; automations name it as scmPoll.providerName'),
    kind: z.enum(GIT_PROVIDER_KINDS),
    baseUrl: nullableString('github: the API base (https://api.github.com by default, https://<host>/api/v3 for GitHub Enterprise Server); azure-devops: the organisation URL; git: null'),
    remoteUrl: nullableString('git: the remote (https, http, git, ssh, file or user@host:path); others: null'),
    username: nullableString('git: the user name sent with the token over http(s) (git when none is set)'),
    tokenConfigured: z.boolean().describe('Whether a token is set; the token is never returned'),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'GitProvider' });
export type GitProviderView = z.output<typeof GitProviderView>;

/** The answer to a check: the check ran either way, so both are a 200. */
export const GitProviderCheckView = z
  .discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), identity: z.string().describe('The login, the user, or the remote reached') }),
    z.strictObject({ ok: z.literal(false), kind: ScmFailureKindSchema, message: z.string().describe('What the host said, never with the token') }),
  ])
  .meta({ id: 'GitProviderCheck' });
export type GitProviderCheckView = z.output<typeof GitProviderCheckView>;
