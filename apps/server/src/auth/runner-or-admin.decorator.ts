import { SetMetadata } from '@nestjs/common';

export const ACCEPTS_RUNNER = 'hookline:acceptsRunner';

/** Runner tokens start with this; admin session tokens never do. */
export const RUNNER_TOKEN_PREFIX = 'hlr_';

/**
 * Marks a route that an admin login or a runner token may call. Both come as
 * `Authorization: Bearer`; the admin guard leaves a runner token (`hlr_...`) to the route's own
 * runner guard, which then must accept it (see RunnerGuard's `allowAdmin`).
 */
export const AcceptsRunner = () => SetMetadata(ACCEPTS_RUNNER, true);
