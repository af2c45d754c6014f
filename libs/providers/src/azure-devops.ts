import { BASIC_MISMATCH, MALFORMED_BASIC, MISSING_BASIC, readBasicCredentials } from './basic-auth';
import { constantTimeEquals } from './compare';
import type { SchemeInput, SchemeResult, SignatureScheme } from './scheme';
import { NO_SECRET, failure, findMatchingSecret, firstOptionProblem, readHeader, readTextOption, success } from './verification';

/**
 * Azure DevOps service hooks sign nothing. A subscription can send basic auth and extra headers;
 * the secret is the basic-auth password, or, when `options.headerName` is set, the value of that
 * header (then basic auth is not consulted). Neither covers the body.
 */
export const azureDevopsScheme: SignatureScheme = {
  name: 'azure-devops',
  description:
    'The sender (an Azure DevOps service hook, which signs nothing) sends `Authorization: Basic base64(user:password)` with the secret as password, or, when headerName is set, that header with the secret as its value.',
  options: {
    username: 'The basic-auth user name the subscription sends; when unset any user name is accepted and only the password is checked.',
    headerName: 'Check this request header (as added under the subscription\'s HTTP headers) instead of basic auth; its value must equal the secret.',
  },
  checkOptions: (options) => firstOptionProblem(readTextOption(options, 'username'), readTextOption(options, 'headerName')),
  needsSecret: true,
  credentialHeaders(options) {
    const headerName = readTextOption(options, 'headerName');
    return [headerName.ok && headerName.value !== undefined ? headerName.value.toLowerCase() : 'authorization'];
  },
  verify({ headers, secrets, options }) {
    if (secrets.length === 0) return NO_SECRET;
    const username = readTextOption(options, 'username');
    if (!username.ok) return failure(username.reason);
    const headerName = readTextOption(options, 'headerName');
    if (!headerName.ok) return failure(headerName.reason);
    if (headerName.value !== undefined) return verifyHeaderToken(headers, secrets, headerName.value);

    const credentials = readBasicCredentials(headers);
    if (credentials.status === 'missing') return failure(MISSING_BASIC);
    if (credentials.status === 'malformed') return failure(MALFORMED_BASIC);
    const expectedUser = username.value;
    // With a configured user name, compare user and password in one go so neither leaks alone.
    const presented = expectedUser === undefined ? credentials.password : `${credentials.username}:${credentials.password}`;
    const expected = (secret: string) => (expectedUser === undefined ? secret : `${expectedUser}:${secret}`);
    const matched = findMatchingSecret(secrets, (secret) => constantTimeEquals(presented, expected(secret)));
    return matched ? success(matched) : failure(BASIC_MISMATCH);
  },
};

function verifyHeaderToken(headers: SchemeInput['headers'], secrets: SchemeInput['secrets'], headerName: string): SchemeResult {
  const token = readHeader(headers, headerName.toLowerCase());
  if (!token) return failure(`missing ${headerName} header`);
  const matched = findMatchingSecret(secrets, (secret) => constantTimeEquals(token, secret));
  return matched ? success(matched) : failure(`${headerName} header does not match`);
}
