import { SetMetadata } from '@nestjs/common';

export const IS_LOGIN_PAGE = 'hookline:loginPage';

/**
 * Marks a page that people open in a browser. A browser that asks for it without a session (or
 * with one that ended) is sent to the console's login, which brings it back; API clients, and
 * any request with a bearer token, still get the usual 401.
 */
export const LoginPage = () => SetMetadata(IS_LOGIN_PAGE, true);
