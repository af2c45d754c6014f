import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/errors';
import { validate } from '../common/validate';
import { CommentOnlyInput } from '../versions/version-input';
import type { VersionSubject } from '../versions/versions.repository';
import { restoredFrom, VersionsService } from '../versions/versions.service';
import { idsOfOrder, orderProblems } from './provider-versions';
import { ProvidersRepository } from './providers.repository';
import { ProvidersService, type ProviderView } from './providers.service';

const ORDER: VersionSubject = { kind: 'provider-order' };

/** The versions of the provider order: reading them, and restoring one as a new version. */
@Injectable()
export class ProviderOrderVersionsService {
  constructor(
    private readonly providers: ProvidersService,
    private readonly rows: ProvidersRepository,
    private readonly versions: VersionsService,
  ) {}

  list(query: Record<string, string | undefined>) {
    return this.versions.page(ORDER, query);
  }

  get(version: string) {
    return this.versions.get(ORDER, version);
  }

  /**
   * An order lists every provider once, so a version naming a provider deleted since, or leaving
   * out one created since, cannot be restored as it is: the 400 says which, and the admin sends
   * the order wanted with PUT /api/providers/order instead.
   */
  async restore(version: string, body: unknown, author: string | null): Promise<ProviderView[]> {
    const { comment } = validate(CommentOnlyInput, body);
    const stored = await this.versions.require(ORDER, version);
    const ids = idsOfOrder(stored.content);
    const { unknown, missing } = orderProblems(ids, await this.rows.list());
    if (unknown.length || missing.length) {
      const reasons = [
        unknown.length ? `lists providers deleted since (${unknown.join(', ')})` : '',
        missing.length ? `leaves out providers created since (${missing.join(', ')})` : '',
      ];
      const why = reasons.filter(Boolean).join(' and ');
      throw new ValidationFailedError({ version: `v${stored.version} cannot be restored: it ${why}; set the order you want with PUT /api/providers/order instead` });
    }
    return this.providers.reorder({ ids, comment }, { author, forced: { comment: restoredFrom(stored.version) } });
  }
}
