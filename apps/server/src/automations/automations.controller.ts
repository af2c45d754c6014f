import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import type { FastifyReply } from 'fastify';
import { AutomationsService } from './automations.service';
import { RunsService } from './runs.service';

@Controller('api/automations')
export class AutomationsController {
  constructor(private readonly automations: AutomationsService) {}

  @RequiresRole('viewer')
  @Get()
  list() {
    return this.automations.list();
  }

  @RequiresRole('editor')
  @Post()
  create(@Body() body: unknown) {
    return this.automations.create(body);
  }

  @RequiresRole('viewer')
  @Get(':id')
  get(@Param('id') id: string) {
    return this.automations.get(id);
  }

  @RequiresRole('editor')
  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.automations.update(id, body);
  }

  @RequiresRole('editor')
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.automations.remove(id);
  }

  @RequiresRole('editor')
  @Post(':id/run')
  @HttpCode(202)
  run(@Param('id') id: string, @Body() body: unknown) {
    return this.automations.runNow(id, body);
  }

  @RequiresRole('viewer')
  @Get(':id/runs')
  runs(@Param('id') id: string) {
    return this.automations.runsOf(id);
  }
}

@Controller('api/runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @RequiresRole('viewer')
  @Get()
  list(@Query() query: Record<string, string | undefined>) {
    return this.runs.list(query);
  }

  // Before ':id' so that "retry" is not taken for an id.
  @RequiresRole('editor')
  @Post('retry')
  @HttpCode(202)
  async retryMany(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.runs.retryMany(body);
    // A dry run only counts: nothing was put back in the queue.
    if ('dryRun' in result) void reply.status(200);
    return result;
  }

  @RequiresRole('editor')
  @Post(':id/retry')
  @HttpCode(202)
  retry(@Param('id') id: string) {
    return this.runs.retry(id);
  }

  @RequiresRole('viewer')
  @Get(':id')
  get(@Param('id') id: string) {
    return this.runs.get(id);
  }
}
