import { SetMetadata } from '@nestjs/common';

/** From least to most: each role may do everything the ones before it may. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const REQUIRED_ROLE = 'hookline:requiredRole';

/**
 * The least role a route needs. A route without it needs `admin`: a route someone forgets to
 * declare is closed, not open. @Public routes need no login, so no role either.
 */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

export function hasRole(actual: Role, needed: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(needed);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
