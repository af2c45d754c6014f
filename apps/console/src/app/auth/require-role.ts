import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import type { Role } from '../api/api-types';
import { Session } from './session';

/** A page for `role` and above: others go to the overview (the server refuses them anyway). */
export function requireRole(role: Role): CanActivateFn {
  return async () => {
    // Both injected before the first await: inject() works only in the guard's synchronous part.
    const session = inject(Session);
    const router = inject(Router);
    await session.check();
    return session.can(role) ? true : router.createUrlTree(['/overview']);
  };
}
