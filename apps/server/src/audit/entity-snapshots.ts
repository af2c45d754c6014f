import { Injectable } from '@nestjs/common';
import { PersonalTokensService } from '../auth/personal-tokens.service';
import { AutomationsService } from '../automations/automations.service';
import { RunsService } from '../automations/runs.service';
import { NotFoundError } from '../common/errors';
import { EndpointsService } from '../endpoints/endpoints.service';
import { FunctionsService } from '../functions/functions.service';
import { GitProvidersService } from '../git-providers/git-providers.service';
import { ProvidersService } from '../providers/providers.service';
import { RunnersService } from '../tasks/runners.service';
import { TaskOperatorService } from '../tasks/task-operator.service';
import { UsersService } from '../users/users.service';
import type { AuditEntityType } from './audited-routes';

/**
 * An entity as the API shows it (secrets already absent), for an entry's before and after. Each
 * comes from the same service its GET route answers from, so the log shows what an admin saw.
 */
@Injectable()
export class EntitySnapshots {
  private readonly readers: Partial<Record<AuditEntityType, (id: string | null) => Promise<unknown>>>;

  constructor(
    providers: ProvidersService,
    functions: FunctionsService,
    automations: AutomationsService,
    runs: RunsService,
    endpoints: EndpointsService,
    gitProviders: GitProvidersService,
    runners: RunnersService,
    tasks: TaskOperatorService,
    users: UsersService,
    personalTokens: PersonalTokensService,
  ) {
    this.readers = {
      provider: (id) => providers.get(id!),
      // The order is the providers' names and priorities, first tried first.
      'provider-order': async () => (await providers.list()).map(({ id, name, priority, enabled }) => ({ id, name, priority, enabled })),
      function: (id) => functions.get(id!),
      automation: (id) => automations.get(id!),
      run: (id) => runs.get(id!),
      endpoint: (id) => endpoints.get(id!),
      'git-provider': (id) => gitProviders.get(id!),
      runner: async (id) => {
        const runner = (await runners.list()).find((each) => each.id === id);
        if (!runner) throw new NotFoundError('runner', id!);
        return runner;
      },
      task: (id) => tasks.get(id!),
      user: (id) => users.get(id!),
      'personal-token': (id) => personalTokens.get(id!),
    };
  }

  /** The entity's view, or null when it has none or is gone. */
  async read(entity: AuditEntityType, id: string | null): Promise<unknown> {
    const reader = this.readers[entity];
    if (!reader || (id === null && entity !== 'provider-order')) return null;
    try {
      return await reader(id);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }
}
