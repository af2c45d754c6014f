import { type ApiTransport, call } from './api';
import type { Entry } from './config-document';
import type { Plan, PlannedChange, Step } from './plan';
import { SECTION_ROUTES, type ServerState, type View } from './server-state';

/** What applying one change answered: for a created endpoint, its URL (shown this once). */
export interface AppliedChange {
  change: PlannedChange;
  url?: string;
}

/**
 * Carries out a plan in its order: creates and updates section by section (so that what a
 * function or endpoint names exists first), then deletions, then the providers' order.
 * `onApplied` hears of each change as it is made; a failure stops at that change.
 */
export async function applyPlan(
  transport: ApiTransport,
  state: ServerState,
  plan: Plan,
  steps: Step[],
  onApplied: (applied: AppliedChange) => void = () => undefined,
): Promise<void> {
  const ids = {
    providers: new Map(state.providers.map((view) => [view.name, view.id])),
    automations: new Map(state.automations.map((view) => [view.name, view.id])),
  };
  for (const step of steps) {
    const { change } = step;
    const route = SECTION_ROUTES[change.section];
    if (change.action === 'delete') {
      await call(transport, 'DELETE', `${route}/${step.view!.id}`);
      onApplied({ change });
      continue;
    }
    const body = requestBody(step, ids);
    const answer =
      change.action === 'create' ? await call<View>(transport, 'POST', route, body) : await call<View>(transport, 'PUT', `${route}/${step.view!.id}`, body);
    if (change.section === 'providers' || change.section === 'automations') ids[change.section].set(answer.name, answer.id);
    onApplied({ change, ...(typeof answer.url === 'string' ? { url: answer.url } : {}) });
  }
  if (plan.order) {
    const providers = await call<View[]>(transport, 'GET', SECTION_ROUTES.providers);
    const byName = new Map(providers.map((view) => [view.name, view.id]));
    const listed = plan.order.to.map((name) => byName.get(name)).filter((id): id is string => id !== undefined);
    // Any provider made meanwhile by someone else keeps its place after the listed ones.
    const others = providers.filter((view) => !listed.includes(view.id)).map((view) => view.id);
    await call(transport, 'PUT', `${SECTION_ROUTES.providers}/order`, { ids: [...listed, ...others], comment: 'Configuration import' });
  }
}

/** The fields a create or update sends, references by name turned into ids and secrets only where the plan sends them. */
function requestBody(step: Step, ids: { providers: Map<string, string>; automations: Map<string, string> }): Record<string, unknown> {
  const entry = step.entry as Entry;
  const secrets = new Map(step.change.fields.filter((field) => field.secret).map((field) => [field.field, field.secret]));
  const secretValue = (field: string, value: unknown) => (secrets.get(field) === 'removed' ? null : value);
  const body: Record<string, unknown> = {};
  for (const field of step.send) {
    const value = entry[field];
    switch (field) {
      case 'name':
        body.name = value;
        break;
      case 'provider':
        body.providerId = ids.providers.get(String(value));
        break;
      case 'automations':
        body.automationIds = (value as string[]).map((name) => ids.automations.get(name) ?? name);
        break;
      case 'token':
        if (secrets.has('token')) body.token = secretValue('token', value);
        break;
      case 'verification': {
        const { secret, ...plain } = value as Record<string, unknown>;
        body.verification = secrets.has('verification.secret') ? { ...plain, secret: secretValue('verification.secret', secret) } : plain;
        break;
      }
      case 'secretProperties': {
        const wanted = value as Record<string, unknown>;
        const sent = [...secrets.keys()].filter((name) => name.startsWith('secretProperties.')).map((name) => name.slice('secretProperties.'.length));
        if (sent.length > 0) body.secretProperties = Object.fromEntries(sent.map((name) => [name, secretValue(`secretProperties.${name}`, wanted[name])]));
        break;
      }
      default:
        body[field] = value;
    }
  }
  if (step.change.section === 'providers' || step.change.section === 'functions') body.comment = 'Configuration import';
  return body;
}
