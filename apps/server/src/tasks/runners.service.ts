import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, In, type Repository } from 'typeorm';
import { z } from 'zod';
import type { AppConfig } from '../config';
import { NotFoundError } from '../common/errors';
import { CONFIG, DATA_SOURCE } from '../common/tokens';
import { validateWith } from '../common/validate';
import { RunnerEntity } from '../database/entities/runner.entity';
import { isUuid, tokenHash } from '../common/ids';
import { ProvidersRepository } from '../providers/providers.repository';
import { toRunnerView, type CreatedRunnerView, type RunnerView } from './runner-view';

const RunnerName = z.string({ error: 'is required' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters');
/** The providers a runner sees events of; null or absent: every provider. */
const ProviderScope = z
  .array(z.string().refine(isUuid, 'must be a provider id (a UUID)'), { error: 'must be a list of provider ids, or null for every provider' })
  .min(1, 'must name at least one provider, or be null for every provider')
  .max(1000, 'must name at most 1000 providers')
  .nullable();

export const CreateRunnerInput = z.strictObject({ name: RunnerName, providers: ProviderScope.optional() });
export const UpdateRunnerInput = z.strictObject({ name: RunnerName.optional(), providers: ProviderScope.optional() });

const PRECONFIGURED = 'HOOKLINE_RUNNER_TOKEN';

/** Runner identities: a token shown once at creation, kept only as its SHA-256, optionally scoped to some providers. */
@Injectable()
export class RunnersService {
  private readonly logger = new Logger('Runners');
  private readonly rows: Repository<RunnerEntity>;

  constructor(
    @Inject(DATA_SOURCE) db: DataSource,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly providers: ProvidersRepository,
  ) {
    this.rows = db.getRepository(RunnerEntity);
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

  async create(body: unknown): Promise<CreatedRunnerView> {
    const { name, providers } = await validateWith(CreateRunnerInput, body, { providers: (ids) => this.unknownProviders(ids) });
    const token = `hlr_${randomBytes(32).toString('base64url')}`;
    const runner = await this.rows.save(this.rows.create({ name, tokenHash: tokenHash(token), providerIds: scopeOf(providers) }));
    return { ...toRunnerView(runner), token };
  }

  async list(): Promise<RunnerView[]> {
    return (await this.rows.find({ order: { createdAt: 'ASC' } })).map(toRunnerView);
  }

  /** Renames a runner or changes its providers; its open streams are asked to reconnect with the new scope. */
  async update(id: string, body: unknown): Promise<RunnerView> {
    const runner = isUuid(id) ? await this.rows.findOneBy({ id }) : null;
    if (!runner) throw new NotFoundError('runner', id);
    const { name, providers } = await validateWith(UpdateRunnerInput, body, { providers: (ids) => this.unknownProviders(ids) });
    if (name !== undefined) runner.name = name;
    if (providers !== undefined) runner.providerIds = scopeOf(providers);
    await this.rows.update({ id }, { name: runner.name, providerIds: runner.providerIds });
    return toRunnerView(runner);
  }

  /** The provider scope of each runner of `ids` that still exists. */
  async scopes(ids: string[]): Promise<Map<string, string[] | null>> {
    const rows = await this.rows.find({ select: { id: true, providerIds: true }, where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((row) => [row.id, row.providerIds]));
  }

  private async unknownProviders(ids: unknown): Promise<string | undefined> {
    if (!Array.isArray(ids)) return undefined;
    const known = new Set(await this.providers.existingIds(ids as string[]));
    const unknown = (ids as string[]).filter((id) => !known.has(id));
    return unknown.length ? `names no provider: ${unknown.join(', ')}` : undefined;
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

function scopeOf(providers: string[] | null | undefined): string[] | null {
  return providers ? [...new Set(providers)] : null;
}

