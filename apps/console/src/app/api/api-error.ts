/** An answer of the admin API that was not a success, with the server's own words. */
export class ApiError extends Error {
  constructor(
    /** The HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    message: string,
    /** For a 400: the fields the server named, each with what is wrong with it. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The error of a failed call as the page shows it; anything that is not an ApiError is a bug. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, err instanceof Error ? err.message : String(err));
}
