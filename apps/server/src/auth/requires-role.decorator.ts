import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles';

export const REQUIRED_ROLE = 'hookline:requiredRole';

/**
 * The least role a route needs. A route without it needs `admin`: a route someone forgets to
 * declare is closed, not open. @Public routes need no login, so no role either.
 */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);
