import { z } from 'zod';

/** The optional note a save, a reset or a restore keeps with the version it makes; blank means none. */
export const VersionComment = z
  .string({ error: 'must be a string' })
  .max(500, 'must be at most 500 characters')
  .transform((value) => value.trim() || undefined)
  .optional()
  .meta({ id: 'VersionComment', description: 'Kept with the version the request makes; blank means none' });

export const CommentOnlyInput = z.strictObject({ comment: VersionComment });
