import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { DATA_SOURCE } from '../common/tokens';
import { EndpointEntity } from '../database/entities/endpoint.entity';

@Injectable()
export class EndpointsRepository {
  private readonly rows: Repository<EndpointEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.rows = db.getRepository(EndpointEntity);
  }

  list(): Promise<EndpointEntity[]> {
    return this.rows.find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<EndpointEntity | null> {
    return this.rows.findOneBy({ id });
  }

  findByName(name: string): Promise<EndpointEntity | null> {
    return this.rows.findOneBy({ name });
  }

  findByTokenHash(tokenHash: string): Promise<EndpointEntity | null> {
    return this.rows.findOneBy({ tokenHash });
  }

  /** Tokens sealed before only their hash was kept (see migration 1765000000000). */
  async sealedTokens(): Promise<Array<{ id: string; sealed: string }>> {
    return this.db.query(`SELECT id, token_sealed AS sealed FROM endpoints WHERE token_sealed IS NOT NULL`);
  }

  async forgetSealedToken(id: string, tokenPrefix: string): Promise<void> {
    await this.db.query(`UPDATE endpoints SET token_prefix = $2, token_sealed = NULL WHERE id = $1`, [id, tokenPrefix]);
  }

  insert(values: Partial<EndpointEntity>): Promise<EndpointEntity> {
    return this.rows.save(this.rows.create(values));
  }

  save(endpoint: EndpointEntity): Promise<EndpointEntity> {
    return this.rows.save(endpoint);
  }

  async delete(id: string): Promise<void> {
    await this.rows.delete({ id });
  }

  /**
   * Records an accepted delivery unless the last one is younger than the cooldown, in one
   * statement so that two deliveries arriving together cannot both pass. Answers the
   * seconds to wait, or 0 when accepted.
   */
  async acceptIfCooledDown(id: string, cooldownSeconds: number): Promise<number> {
    if (cooldownSeconds <= 0) {
      await this.db.query(`UPDATE endpoints SET last_accepted_at = now() WHERE id = $1`, [id]);
      return 0;
    }
    const [rows]: [Array<{ id: string }>, number] = await this.db.query(
      `UPDATE endpoints SET last_accepted_at = now()
        WHERE id = $1 AND (last_accepted_at IS NULL OR last_accepted_at <= now() - ($2::integer * interval '1 second'))
        RETURNING id`,
      [id, cooldownSeconds],
    );
    if (rows.length > 0) return 0;
    const [row]: Array<{ wait: string | number }> = await this.db.query(
      `SELECT CEIL(EXTRACT(EPOCH FROM (last_accepted_at + ($2::integer * interval '1 second') - now()))) AS wait FROM endpoints WHERE id = $1`,
      [id, cooldownSeconds],
    );
    return Math.max(1, Number(row?.wait ?? 1));
  }
}
