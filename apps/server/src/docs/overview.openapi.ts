import { z } from 'zod';
import { OverviewRangeSchema, OverviewView } from '../overview/overview-view';
import { invalid, type Routes } from './contract';

/** The range as OverviewService.get checks it (by hand, with the same message). */
const OverviewQuery = z.object({ range: OverviewRangeSchema.default('1h') });

/** GET /api/overview. */
export const OVERVIEW_ROUTES: Routes = {
  '/api/overview': {
    get: {
      tags: ['Messages'],
      access: 'viewer',
      summary: 'Messages per bucket by status, failure rate, queue depth and the slowest functions, computed in the database',
      query: OverviewQuery,
      responses: { 200: { description: 'The overview', body: OverviewView }, ...invalid },
    },
  },
};
