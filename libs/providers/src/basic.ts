import { BASIC_MISMATCH, MALFORMED_BASIC, MISSING_BASIC, readBasicCredentials } from './basic-auth';
import { constantTimeEquals } from './compare';
import type { SignatureScheme } from './scheme';
import { NO_SECRET, failure, findMatchingSecret, firstOptionProblem, readTextOption, success } from './verification';

/**
 * HTTP Basic auth. One rule for the secret: without `options.username` it is the whole
 * `user:password`; with it, the secret is the password and the user name must equal the option.
 * Either way one constant-time comparison covers user name and password together.
 */
export const basicScheme: SignatureScheme = {
  name: 'basic',
  description:
    'The sender sends `Authorization: Basic base64(user:password)`; the secret is `user:password`, or only the password when the username option is set.',
  options: {
    username: 'The user name the sender must present; when set, the secret is the password alone instead of `user:password`.',
  },
  checkOptions: (options) => firstOptionProblem(readTextOption(options, 'username')),
  needsSecret: true,
  credentialHeaders: () => ['authorization'],
  verify({ headers, secrets, options }) {
    if (secrets.length === 0) return NO_SECRET;
    const username = readTextOption(options, 'username');
    if (!username.ok) return failure(username.reason);
    const credentials = readBasicCredentials(headers);
    if (credentials.status === 'missing') return failure(MISSING_BASIC);
    if (credentials.status === 'malformed') return failure(MALFORMED_BASIC);
    const presented = `${credentials.username}:${credentials.password}`;
    const expected = (secret: string) => (username.value === undefined ? secret : `${username.value}:${secret}`);
    const matched = findMatchingSecret(secrets, (secret) => constantTimeEquals(presented, expected(secret)));
    return matched ? success(matched) : failure(BASIC_MISMATCH);
  },
};
