import { z } from 'zod';
import { instant } from '../docs/contract';

/** A version as the API answers it, without its content. */
export const VersionSummaryView = z
  .strictObject({
    version: z.number().int().min(1).describe('1, 2, 3… per provider or function, and for the provider order'),
    comment: z.string().nullable(),
    createdBy: z.string().nullable().describe('The user who saved it; null when the server did (built-in seeding, upgrade, the order before its first change)'),
    createdAt: instant,
  })
  .meta({ id: 'VersionSummary' });
export type VersionSummaryView = z.output<typeof VersionSummaryView>;

/** One version with its content. */
export const VersionView = VersionSummaryView.extend({
  content: z
    .record(z.string(), z.unknown())
    .describe(
      'Provider: {matchScript, verification: {scheme, options}, eventFormat} and, when it has one, descriptor. Function: {script, condition, timeoutMs}. ' +
        'Provider order: {providers: [{id, name}]}, first runs first. Never holds secrets.',
    ),
}).meta({ id: 'Version' });
export type VersionView = z.output<typeof VersionView>;

/** A page of versions, newest first; pass `nextCursor` as `cursor` for the next one. */
export const VersionPage = z
  .strictObject({ items: z.array(VersionSummaryView), nextCursor: z.string().nullable() })
  .meta({ id: 'VersionPage' });
export type VersionPage = z.output<typeof VersionPage>;

/**
 * The query of a version list. VersionsService.page reads it by hand (a bad limit or cursor, or any
 * other parameter, is a 400); this says the same for the document.
 */
export const VersionListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50).optional(),
  cursor: z.string().optional().describe('nextCursor of the page before'),
});

/** A version number in a path: a whole number from 1 (VersionsService.require answers 400 for anything else). */
export const versionParam = z.string().regex(/^[1-9][0-9]{0,8}$/).describe('A version number such as 3');
