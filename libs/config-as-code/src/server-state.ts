import { type ApiTransport, call } from './api';
import type { Section } from './config-document';

/** A server entity as its list route answers it: only the fields the planner reads are named. */
export type View = Record<string, unknown> & { id: string; name: string };

/** Everything a configuration file describes, as one server has it now. */
export type ServerState = Record<Section, View[]>;

/** Each section's admin route. */
export const SECTION_ROUTES: Record<Section, string> = {
  gitProviders: '/api/git-providers',
  automations: '/api/automations',
  providers: '/api/providers',
  functions: '/api/functions',
  endpoints: '/api/webhooks',
};

/** What a section's entities are called in plans and messages. */
export const SECTION_LABELS: Record<Section, string> = {
  gitProviders: 'git provider',
  automations: 'automation',
  providers: 'provider',
  functions: 'function',
  endpoints: 'endpoint',
};

/** Reads every section; providers come in priority order (lower first, ties by name), as they are tried. */
export async function readServerState(transport: ApiTransport): Promise<ServerState> {
  const [gitProviders, automations, providers, functions, endpoints] = await Promise.all(
    (['gitProviders', 'automations', 'providers', 'functions', 'endpoints'] as const).map((section) => call<View[]>(transport, 'GET', SECTION_ROUTES[section])),
  );
  providers.sort((a, b) => Number(a.priority) - Number(b.priority) || a.name.localeCompare(b.name));
  return { gitProviders, automations, providers, functions, endpoints };
}

/** Names by id for one section, to write references by name. */
export function namesById(views: View[]): Map<string, string> {
  return new Map(views.map((view) => [view.id, view.name]));
}
