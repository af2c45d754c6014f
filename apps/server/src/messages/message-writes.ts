import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { GroupCommit, GroupCommitClosedError, type GroupCommitOptions } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import type { MessageEntity } from '../database/entities/message.entity';
import { MessagesRepository } from './messages.repository';

interface Update {
  id: string;
  changes: Partial<MessageEntity>;
}

/** How message writes are batched: HOOKLINE_WRITE_BATCH and HOOKLINE_WRITE_DELAY. */
export function writeBatching(config: AppConfig): Pick<GroupCommitOptions<unknown, unknown>, 'maxBatch' | 'maxDelayMs' | 'maxInFlight' | 'maxQueued'> {
  return {
    maxBatch: config.writeBatch,
    maxDelayMs: config.writeDelayMs,
    // One statement writing while the next batch fills; PGlite has one session anyway.
    maxInFlight: 2,
    maxQueued: config.writeBatch * 16,
  };
}

/**
 * Writes a batch with `together`, one statement and one commit; when the database refuses that,
 * writes each item with `alone`, so that an item it cannot hold fails only itself. Each item's
 * result, or the error that refused it.
 */
export async function togetherOrEach<T, R>(items: T[], together: (items: T[]) => Promise<R[]>, alone: (item: T) => Promise<R>): Promise<Array<R | Error>> {
  if (items.length > 1) {
    try {
      return await together(items);
    } catch {
      // One at a time below.
    }
  }
  const results: Array<R | Error> = [];
  for (const item of items) {
    try {
      results.push(await alone(item));
    } catch (err) {
      results.push(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return results;
}

/**
 * Resolves with the item's result from `commit`; once the writer is closing (the server is
 * stopping), writes it on its own with `alone`. Rejects with the error that refused the item.
 */
export async function submitOrWriteAlone<T, R>(commit: GroupCommit<T, R | Error>, item: T, alone: (item: T) => Promise<R>): Promise<R> {
  let result: R | Error;
  try {
    result = await commit.submit(item);
  } catch (err) {
    if (!(err instanceof GroupCommitClosedError)) throw err;
    result = await alone(item);
  }
  if (result instanceof Error) throw result;
  return result;
}

/**
 * The status writes of messages, group-committed: the results of messages that end at about the
 * same time go in one UPDATE, one statement and one commit (see GroupCommit), and each caller goes
 * on once its own row is committed. A row the database refuses fails only its own caller.
 */
@Injectable()
export class MessageWrites implements OnApplicationShutdown {
  private readonly updates: GroupCommit<Update, undefined | Error>;

  constructor(
    private readonly messages: MessagesRepository,
    @Inject(CONFIG) config: AppConfig,
  ) {
    this.updates = new GroupCommit({ ...writeBatching(config), flush: (updates) => this.flush(updates) });
  }

  /** Resolves once these changes are committed; rejects with the database's reason if it refused them. */
  async update(id: string, changes: Partial<MessageEntity>): Promise<void> {
    await submitOrWriteAlone(this.updates, { id, changes }, (update) => this.writeAlone(update));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.updates.close();
  }

  private flush(updates: Update[]): Promise<Array<undefined | Error>> {
    // Two writes of one message would meet in one UPDATE … FROM, where either may win.
    const distinct = new Set(updates.map((update) => update.id)).size === updates.length;
    return togetherOrEach(
      updates,
      async (batch) => {
        if (!distinct) throw new Error('one message twice in a batch');
        await this.messages.updateEach(batch);
        return batch.map(() => undefined);
      },
      (update) => this.writeAlone(update),
    );
  }

  private async writeAlone(update: Update): Promise<undefined> {
    await this.messages.updateEach([update]);
    return undefined;
  }
}
