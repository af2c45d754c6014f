import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, In, type Repository } from 'typeorm';
import { z } from 'zod';
import type { AppConfig } from '../config';
import { NotFoundError } from '../common/errors';
import { CONFIG, DATA_SOURCE } from '../common/tokens';
import { validateWith } from '../common/validate';
import { ProviderEntity } from '../database/entities/provider.entity';
import { RunnerEntity } from '../database/entities/runner.entity';
import { isUuid, tokenHash } from '../common/ids';

const CreateRunnerInput = z.strictObject({
  name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  providers: z.array(z.uuid({ error: 'must be provider ids' }), { error: 'must be a list of provider ids' }).optional(),
});

const PRECONFIGURED = 'HOOKLINE_RUNNER_TOKEN';


/** Runner identities: a token shown once at creation, kept only as its SHA-256, optionally scoped to some providers. */
@Injectable()
export class RunnersService {
  private readonly logger = new Logger('Runners');
  private readonly rows: Repository<RunnerEntity>;
  private readonly providers: Repository<ProviderEntity>;

  constructor(
    @Inject(DATA_SOURCE) db: DataSource,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {
    this.rows = db.getRepository(RunnerEntity);
    this.providers = db.getRepository(ProviderEntity);
  }

  /** Registers the runner token from the environment, if one is set. */
  async ensurePreconfigured(): Promise<void> {
    if (!this.config.runnerToken) return;
    const hash = tokenHash(this.config.runnerToken);
    if (await this.rows.findOneBy({ tokenHash: hash })) return;
    await this.rows.delete({ name: PRECONFIGURED });
    await this.rows.insert({ name: PRECONFIGURED, tokenHash: hash });
    this.logger.log('Registered the runner token from HOOKLINE_RUNNER_TOKEN');
  }

  async create(body: unknown) {
    const { name, providers } = await validateWith(CreateRunnerInput, body, {
      providers: async (ids) => {
        const known = new Set((await this.providers.findBy({ id: In(ids as string[]) })).map((p) => p.id));
        const unknown = (ids as string[]).filter((id) => !known.has(id));
        return unknown.length ? `name no provider: ${unknown.join(', ')}` : undefined;
      },
    });
    const token = `hlr_${randomBytes(32).toString('base64url')}`;
    const providerIds = providers ? [...new Set(providers)] : null;
    const runner = await this.rows.save(this.rows.create({ name, tokenHash: tokenHash(token), providerIds }));
    return { id: runner.id, name: runner.name, token, providers: runner.providerIds, createdAt: runner.createdAt.toISOString() };
  }

  async list() {
    return (await this.rows.find({ order: { createdAt: 'ASC' } })).map((r) => ({
      id: r.id,
      name: r.name,
      providers: r.providerIds,
      createdAt: r.createdAt.toISOString(),
      lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
    }));
  }

  async revoke(id: string): Promise<void> {
    const runner = isUuid(id) ? await this.rows.findOneBy({ id }) : null;
    if (!runner) throw new NotFoundError('runner', id);
    await this.rows.delete({ id });
  }

  /** The runner a token belongs to; looked up by hash, so no comparison leaks timing. */
  async authenticate(token: string): Promise<RunnerEntity | null> {
    const runner = await this.rows.findOneBy({ tokenHash: tokenHash(token) });
    if (runner) await this.rows.update({ id: runner.id }, { lastSeenAt: new Date() });
    return runner;
  }
}
