import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import type { FastifyReply } from 'fastify';
import { MessageStream } from './message-stream';
import { ResubmitJobsService } from './resubmit-jobs.service';
import { decodePosition } from './message-changes.repository';
import { parseFilter } from './message-filter';
import { sendAnswer } from '../ingress/ingress.controller';
import { MessagesService, type ListQuery } from './messages.service';

@Controller('api/messages')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly stream: MessageStream,
    private readonly resubmitJobs: ResubmitJobsService,
  ) {}

  @RequiresRole('viewer')
  @Get()
  list(@Query() query: ListQuery) {
    return this.messages.list(query);
  }

  /** Server-sent events: new messages and status changes, from Last-Event-ID (or `lastEventId`) on. */
  @RequiresRole('viewer')
  @Get('stream')
  async openStream(@Query() query: ListQuery, @Headers('last-event-id') lastEventId: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const { lastEventId: fromQuery, ...filters } = query;
    const filter = parseFilter(filters);
    const resumeFrom = lastEventId ?? fromQuery;
    const after = resumeFrom ? decodePosition(resumeFrom, lastEventId ? 'Last-Event-ID' : 'lastEventId') : undefined;
    // The stream outlives this handler: Fastify must not answer or close it.
    reply.hijack();
    await this.stream.open(reply.raw, reply.getHeaders() as Record<string, string>, filter, after);
  }

  // Before ':id' so that "resubmit" and "stream" are not taken for an id.
  @RequiresRole('editor')
  @Post('resubmit')
  @HttpCode(202)
  async resubmitMany(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.messages.resubmitMany(body);
    // A dry run only counts: nothing was accepted for processing.
    if ('dryRun' in result) void reply.status(200);
    return result;
  }

  @RequiresRole('editor')
  @Post('resubmit-jobs')
  @HttpCode(202)
  startResubmitJob(@Body() body: unknown) {
    return this.resubmitJobs.start(body);
  }

  @RequiresRole('viewer')
  @Get('resubmit-jobs/:jobId')
  resubmitJob(@Param('jobId') jobId: string) {
    return this.resubmitJobs.get(jobId);
  }

  @RequiresRole('viewer')
  @Get(':id')
  get(@Param('id') id: string) {
    return this.messages.get(id);
  }

  @RequiresRole('viewer')
  @Get(':id/body')
  async body(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.messages.body(id);
    // The sender chose the content type: a browser opening this must not run it as a page.
    await reply
      .status(200)
      .header('content-type', contentType)
      .header('content-disposition', `attachment; filename="${id}.body"`)
      .header('content-security-policy', 'sandbox')
      .send(body);
  }

  /** Answers as the ingress would: 202 queued, or with sync the status the functions produced. */
  @RequiresRole('editor')
  @Post(':id/resubmit')
  async resubmit(@Param('id') id: string, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    await sendAnswer(reply, await this.messages.resubmit(id, body));
  }
}
