import { Controller, Get, Headers, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { EventStream } from './event-stream';
import { StreamReaderGuard, type StreamRequest } from './stream-reader.guard';
import { parseStreamQuery } from './stream-query';

/** For runners (runner token) and admins (login), checked by StreamReaderGuard rather than the admin guard. */
@Public()
@UseGuards(StreamReaderGuard)
@Controller('api/events')
export class EventsController {
  constructor(private readonly stream: EventStream) {}

  /** Server-sent events from the event log: from Last-Event-ID (or `lastEventId`), from the oldest kept (`from=0`), or live. */
  @Get('stream')
  async openStream(
    @Query() query: Record<string, unknown>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: StreamRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { filter, start } = parseStreamQuery(query, lastEventId);
    // The stream outlives this handler: Fastify must not answer or close it.
    reply.hijack();
    await this.stream.open(reply.raw, reply.getHeaders() as Record<string, string>, request.streamReader!, filter, start);
  }
}
