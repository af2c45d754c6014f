import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { MessagesRepository } from '../messages/messages.repository';

/**
 * A message being processed carries a lease (locked_by, locked_until). This process
 * renews the leases of everything it works on; if it dies, the leases run out and
 * any server on the database takes the messages up again.
 */
@Injectable()
export class Leases implements OnApplicationShutdown {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly held = new Set<string>();
  private readonly logger = new Logger('Leases');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly messages: MessagesRepository,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  get durationMs(): number {
    return this.config.queueLeaseMs;
  }

  /** The lease a message is written with when this process starts on it at once. */
  fresh(): { workerId: string; until: Date } {
    return { workerId: this.workerId, until: new Date(Date.now() + this.config.queueLeaseMs) };
  }

  hold(id: string): void {
    this.held.add(id);
    this.timer ??= setInterval(() => void this.renew(), Math.max(200, Math.floor(this.config.queueLeaseMs / 3)));
  }

  release(id: string): void {
    this.held.delete(id);
  }

  get count(): number {
    return this.held.size;
  }

  private async renew(): Promise<void> {
    try {
      await this.messages.extendLeases(this.workerId, [...this.held], this.config.queueLeaseMs);
    } catch (err) {
      this.logger.warn(`Could not renew leases: ${(err as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
