/** Errors the services throw; `HttpErrorFilter` maps each to a status in one place. */
export class ValidationFailedError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(`Invalid request: ${Object.entries(fields).map(([field, problem]) => `${field} ${problem}`).join('; ')}`);
  }
}

export class NotFoundError extends Error {
  constructor(what: string, id: string) {
    super(`No ${what} with id ${id}`);
  }
}

export class ConflictError extends Error {}

export class UnauthenticatedError extends Error {}

/** A browser asked for a page behind the login without a session: it is sent to the login, which comes back to `returnPath`. */
export class LoginRequiredError extends UnauthenticatedError {
  constructor(
    message: string,
    readonly returnPath: string,
  ) {
    super(message);
  }
}

/** Logged in, but the request is refused all the same (a cookie write without the console's header). */
export class ForbiddenError extends Error {}

/** Logged in with a role below the one the route needs; the answer names both. */
export class RoleRequiredError extends ForbiddenError {
  constructor(
    readonly requiredRole: string,
    readonly role: string,
  ) {
    super(`This needs the ${requiredRole} role${requiredRole === 'admin' ? '' : ' or higher'}; you are ${role === 'admin' ? 'an' : 'a'} ${role}`);
  }
}

export class TooManyRequestsError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The database could not take a write the answer depends on: nothing was accepted, the sender should retry. */
export class UnavailableError extends Error {}
