import { azureDevopsScheme } from './azure-devops';
import { basicScheme } from './basic';
import { bearerScheme } from './bearer';
import { bitbucketScheme } from './bitbucket';
import { customHmacScheme } from './custom-hmac';
import { genericHmacScheme } from './generic-hmac';
import { githubScheme } from './github';
import { githubSha1Scheme } from './github-sha1';
import { gitlabSigningScheme } from './gitlab-signing';
import { gitlabTokenScheme } from './gitlab-token';
import { noneScheme } from './none';
import type { SignatureScheme } from './scheme';
import { slackScheme } from './slack';
import { standardWebhooksScheme } from './standard-webhooks';
import { stripeScheme } from './stripe';
import { svixScheme } from './svix';

export * from './scheme';
export { constantTimeEquals } from './compare';
export { noneScheme } from './none';
export { bearerScheme } from './bearer';
export { basicScheme } from './basic';
export { githubScheme } from './github';
export { githubSha1Scheme } from './github-sha1';
export { gitlabTokenScheme } from './gitlab-token';
export { gitlabSigningScheme } from './gitlab-signing';
export { bitbucketScheme } from './bitbucket';
export { azureDevopsScheme } from './azure-devops';
export { slackScheme } from './slack';
export { stripeScheme } from './stripe';
export { svixScheme } from './svix';
export { standardWebhooksScheme } from './standard-webhooks';
export { genericHmacScheme } from './generic-hmac';
export { customHmacScheme } from './custom-hmac';
export * from './custom-hmac-options';

/** Every scheme a provider can name, by name, in the order the console lists them. */
export const BUILTIN_SCHEMES: readonly SignatureScheme[] = [
  noneScheme,
  bearerScheme,
  basicScheme,
  githubScheme,
  githubSha1Scheme,
  gitlabTokenScheme,
  gitlabSigningScheme,
  bitbucketScheme,
  azureDevopsScheme,
  slackScheme,
  stripeScheme,
  svixScheme,
  standardWebhooksScheme,
  genericHmacScheme,
  customHmacScheme,
];
export * from './events/event-types';
export { describeEvent } from './events/describe-event';
export * from './events/delivered-commit';
export * from './builtin-providers';
export * from './handshake';
export * from './descriptor';
export { describeDescriptorEvent, fieldText } from './events/descriptor-event';

/**
 * Why `options` cannot be saved for the scheme named `schemeName` (an option it does not read, or
 * a value it cannot read), or undefined. An unknown scheme is left to the scheme name's own check.
 */
export function schemeOptionsProblem(schemeName: string, options: Record<string, unknown>): string | undefined {
  const scheme = BUILTIN_SCHEMES.find((s) => s.name === schemeName);
  if (!scheme) return undefined;
  const known = Object.keys(scheme.options ?? {});
  const unknown = Object.keys(options).find((name) => !known.includes(name));
  if (unknown !== undefined) {
    return known.length > 0 ? `"${unknown}" is not an option of ${scheme.name}; it reads ${known.join(', ')}` : `"${unknown}" is not an option of ${scheme.name}, which reads none`;
  }
  return scheme.checkOptions?.(options);
}
export * from './failure-reason';
