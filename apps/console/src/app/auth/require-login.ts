import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { Session } from './session';

/** Pages behind the login: without a session, the login page, which comes back here. */
export const requireLogin: CanActivateFn = async (_route, state) => {
  const router = inject(Router);
  if (await inject(Session).check()) return true;
  return router.createUrlTree(['/login'], { queryParams: state.url === '/' ? {} : { returnUrl: state.url } });
};
