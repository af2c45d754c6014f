import { z } from 'zod';
import { GIT_PROVIDER_KINDS } from '../../../../libs/engine/src/scm-hosts';

const url = (example: string) =>
  z.string({ error: `must be a URL, e.g. ${example}, or null` }).trim().min(1, `must not be empty, e.g. ${example}`).max(2000, 'must be at most 2000 characters').nullable();

const fields = {
  name: z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  kind: z.enum(GIT_PROVIDER_KINDS, { error: (issue) => `${issue.input === undefined ? 'is required: ' : 'must be '}one of ${GIT_PROVIDER_KINDS.join(', ')}` }),
  baseUrl: url('https://api.github.com or https://dev.azure.com/fabrikam'),
  /** Written, never read back: a header value, so no spaces or line breaks can sneak into a request. */
  token: z
    .string({ error: 'must be a string, or null to remove it' })
    .min(1, 'must not be empty; use null to remove it')
    .max(4000, 'must be at most 4000 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces or line breaks')
    .nullable(),
  remoteUrl: url('https://git.example.com/team/app.git'),
  username: z
    .string({ error: 'must be a string, or null to remove it' })
    .trim()
    .min(1, 'must not be empty; use null to remove it')
    .max(200, 'must be at most 200 characters')
    .regex(/^[^\s:]+$/u, 'must not contain spaces or ":"')
    .nullable(),
};

export const CreateGitProviderInput = z.strictObject({
  name: fields.name,
  kind: fields.kind,
  baseUrl: fields.baseUrl.optional(),
  token: fields.token.optional(),
  remoteUrl: fields.remoteUrl.optional(),
  username: fields.username.optional(),
}).meta({ id: 'GitProviderInput', description: 'token is write-only and sealed at rest. baseUrl is required for azure-devops; remoteUrl for git.' });

/** PUT changes only the fields it names; `token: null` removes the token, leaving it out keeps it. */
export const UpdateGitProviderInput = z.strictObject({
  name: fields.name.optional(),
  kind: fields.kind.optional(),
  baseUrl: fields.baseUrl.optional(),
  token: fields.token.optional(),
  remoteUrl: fields.remoteUrl.optional(),
  username: fields.username.optional(),
}).meta({
  id: 'GitProviderUpdate',
  description: "Only the fields given change; token: null removes the token, leaving it out keeps it. A change of kind drops the old kind's settings.",
});
