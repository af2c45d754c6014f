import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { toInboundRequest } from '../ingress/inbound-request';
import { sendAnswer } from '../ingress/ingress.controller';
import { EndpointsService } from './endpoints.service';

@Controller('api/webhooks')
export class EndpointsController {
  constructor(private readonly endpoints: EndpointsService) {}

  @RequiresRole('viewer')
  @Get()
  list() {
    return this.endpoints.list();
  }

  @RequiresRole('editor')
  @Post()
  create(@Body() body: unknown) {
    return this.endpoints.create(body);
  }

  /** Secret-token deliveries: no login, the token in the URL is the credential. */
  @Public()
  @Post('inbound/:token')
  async inbound(@Param('token') token: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const answer = await this.endpoints.receive(token, toInboundRequest(request, ''));
    if (!answer) {
      await reply.status(404).send({ statusCode: 404, error: 'Not Found', message: 'No webhook endpoint has this token; it may have been regenerated' });
      return;
    }
    await sendAnswer(reply, answer);
  }

  @RequiresRole('viewer')
  @Get(':id')
  get(@Param('id') id: string) {
    return this.endpoints.get(id);
  }

  @RequiresRole('editor')
  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.endpoints.update(id, body);
  }

  @RequiresRole('editor')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.endpoints.remove(id);
  }

  @RequiresRole('editor')
  @Post(':id/regenerate')
  @HttpCode(200)
  regenerate(@Param('id') id: string) {
    return this.endpoints.regenerate(id);
  }

  @RequiresRole('viewer')
  @Get(':id/deliveries')
  deliveries(@Param('id') id: string, @Query() query: { limit?: string; cursor?: string }) {
    return this.endpoints.deliveries(id, query);
  }
}
