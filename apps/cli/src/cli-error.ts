/** A failure the user can fix: printed as one line, and the command exits with status 1. */
export class CliError extends Error {}
