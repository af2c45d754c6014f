import type { Role } from '../../apps/server/src/auth/roles';

/**
 * Who may call each route the server serves: the least role (admin, editor, viewer), a runner
 * token, either, or anyone. The role matrix test reads this table and the routes from the running
 * server, so a route missing here fails it, and so does a route whose declaration says otherwise.
 * docs/users.md states the same rules in words.
 */
export type Access = Role | 'public' | 'runner' | 'viewer+runner' | 'login';

export const ROUTE_ROLES: Record<string, Access> = {
  'GET /health': 'public',
  'GET /ready': 'public',
  'GET /metrics': 'public',
  'ALL /webhooks/*': 'public',
  'POST /api/webhooks/inbound/:token': 'public',

  'POST /api/auth/login': 'public',
  'GET /api/auth/session': 'public',
  'POST /api/auth/logout': 'viewer',
  'POST /api/auth/password': 'viewer',
  'GET /api/auth/me': 'viewer',

  'GET /api/users/me/tokens': 'viewer',
  'POST /api/users/me/tokens': 'login',
  'DELETE /api/users/me/tokens/:tokenId': 'viewer',
  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'GET /api/users/:id': 'admin',
  'PUT /api/users/:id': 'admin',
  'DELETE /api/users/:id': 'admin',
  'GET /api/users/:id/tokens': 'admin',
  'DELETE /api/users/:id/tokens/:tokenId': 'admin',

  'GET /api/audit': 'admin',
  'GET /api/docs': 'viewer',
  'GET /api/overview': 'viewer',
  'GET /api/schemes': 'viewer',

  'GET /api/providers': 'viewer',
  'POST /api/providers': 'editor',
  'POST /api/providers/descriptor-preview': 'editor',
  'PUT /api/providers/order': 'editor',
  'GET /api/providers/order/versions': 'viewer',
  'GET /api/providers/order/versions/:version': 'viewer',
  'POST /api/providers/order/versions/:version/restore': 'editor',
  'GET /api/providers/:id': 'viewer',
  'PUT /api/providers/:id': 'editor',
  'POST /api/providers/:id/reset': 'editor',
  'DELETE /api/providers/:id': 'editor',
  'GET /api/providers/:id/versions': 'viewer',
  'GET /api/providers/:id/versions/:version': 'viewer',
  'POST /api/providers/:id/versions/:version/restore': 'editor',
  'POST /api/providers/:id/test': 'editor',

  'GET /api/functions': 'viewer',
  'POST /api/functions': 'editor',
  'GET /api/functions/:id': 'viewer',
  'PUT /api/functions/:id': 'editor',
  'DELETE /api/functions/:id': 'editor',
  'GET /api/functions/:id/versions': 'viewer',
  'GET /api/functions/:id/versions/:version': 'viewer',
  'POST /api/functions/:id/versions/:version/restore': 'editor',
  'POST /api/functions/:id/test': 'editor',
  'POST /api/preview': 'editor',

  'GET /api/messages': 'viewer',
  'GET /api/messages/stream': 'viewer',
  'GET /api/messages/:id': 'viewer',
  'GET /api/messages/:id/body': 'viewer',
  'POST /api/messages/resubmit': 'editor',
  'POST /api/messages/:id/resubmit': 'editor',
  'POST /api/messages/resubmit-jobs': 'editor',
  'GET /api/messages/resubmit-jobs/:jobId': 'viewer',

  'GET /api/automations': 'viewer',
  'POST /api/automations': 'editor',
  'GET /api/automations/:id': 'viewer',
  'PUT /api/automations/:id': 'editor',
  'DELETE /api/automations/:id': 'editor',
  'POST /api/automations/:id/run': 'editor',
  'GET /api/automations/:id/runs': 'viewer',
  'POST /api/automations/:id/test-poll': 'editor',
  'GET /api/automations/:id/scm-state': 'viewer',
  'GET /api/runs': 'viewer',
  'GET /api/runs/:id': 'viewer',
  'POST /api/runs/retry': 'editor',
  'POST /api/runs/:id/retry': 'editor',

  'GET /api/webhooks': 'viewer',
  'POST /api/webhooks': 'editor',
  'GET /api/webhooks/:id': 'viewer',
  'PUT /api/webhooks/:id': 'editor',
  'DELETE /api/webhooks/:id': 'editor',
  'POST /api/webhooks/:id/regenerate': 'editor',
  'GET /api/webhooks/:id/deliveries': 'viewer',

  'GET /api/git-providers': 'viewer',
  'GET /api/git-providers/:id': 'viewer',
  'POST /api/git-providers': 'admin',
  'PUT /api/git-providers/:id': 'admin',
  'DELETE /api/git-providers/:id': 'admin',
  'POST /api/git-providers/:id/check': 'admin',

  'GET /api/runners': 'viewer',
  'POST /api/runners': 'admin',
  'PUT /api/runners/:id': 'admin',
  'DELETE /api/runners/:id': 'admin',

  'GET /api/tasks': 'viewer',
  'GET /api/tasks/:id': 'viewer+runner',
  'POST /api/tasks/:id/resume': 'editor',
  'POST /api/tasks/:id/messages': 'editor',
  'POST /api/tasks/claim': 'runner',
  'GET /api/tasks/:id/payload': 'runner',
  'POST /api/tasks/:id/park': 'runner',
  'POST /api/tasks/:id/complete': 'runner',
  'GET /api/events/stream': 'viewer+runner',
};
