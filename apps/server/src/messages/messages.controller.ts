import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { sendAnswer } from '../ingress/ingress.controller';
import { MessagesService, type ListQuery } from './messages.service';

@Controller('api/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  list(@Query() query: ListQuery) {
    return this.messages.list(query);
  }

  // Before ':id' so that "resubmit" is not taken for an id.
  @Post('resubmit')
  @HttpCode(202)
  resubmitMany(@Body() body: unknown) {
    return this.messages.resubmitMany(body);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.messages.get(id);
  }

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
  @Post(':id/resubmit')
  async resubmit(@Param('id') id: string, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    await sendAnswer(reply, await this.messages.resubmit(id, body));
  }
}
