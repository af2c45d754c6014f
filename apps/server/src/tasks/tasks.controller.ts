import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Public } from '../auth/public.decorator';
import { AcceptsRunner } from '../auth/runner-or-admin.decorator';
import { RunnerGuard, type RunnerRequest } from './runner.guard';
import { RunnersService } from './runners.service';
import { TaskOperatorService } from './task-operator.service';
import { TasksService } from './tasks.service';

@Controller('api/runners')
export class RunnersController {
  constructor(private readonly runners: RunnersService) {}

  @RequiresRole('viewer')
  @Get()
  list() {
    return this.runners.list();
  }

  /** Answers the token once; only its hash is kept. */
  @Post()
  create(@Body() body: unknown) {
    return this.runners.create(body);
  }

  /** Renames a runner or changes the providers it is scoped to. */
  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.runners.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string): Promise<void> {
    await this.runners.revoke(id);
  }
}

/** For runners, with a runner token instead of an admin login. */
@Public()
@UseGuards(RunnerGuard)
@Controller('api/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post('claim')
  async claim(@Req() request: RunnerRequest, @Res() reply: FastifyReply): Promise<void> {
    const task = await this.tasks.claim(request.runner!);
    if (task) await reply.status(200).send(task);
    else await reply.status(204).send();
  }

  @Get(':id/payload')
  async payload(@Param('id') id: string, @Req() request: RunnerRequest, @Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.tasks.payload(request.runner!, id);
    await reply.status(200).header('content-type', contentType).send(body);
  }

  @Post(':id/park')
  @HttpCode(200)
  park(@Param('id') id: string, @Req() request: RunnerRequest, @Body() body: unknown) {
    return this.tasks.park(request.runner!, id, body);
  }

  @Post(':id/complete')
  @HttpCode(200)
  // The body is read from the request rather than through @Body(): a runner's output may hold
  // characters admin input may not, and the tasks repository makes them storable instead.
  complete(@Param('id') id: string, @Req() request: RunnerRequest) {
    return this.tasks.complete(request.runner!, id, request.body);
  }
}

/** For admins: parked tasks, their inbox and resuming them. `GET /api/tasks/:id` also takes the runner token that holds or parked the task. */
@Controller('api/tasks')
export class TaskOperatorController {
  constructor(
    private readonly operator: TaskOperatorService,
    private readonly tasks: TasksService,
  ) {}

  @RequiresRole('viewer')
  @Get()
  list(@Query() query: { state?: string; limit?: string }) {
    return this.operator.list(query);
  }

  @RequiresRole('viewer')
  @Get(':id')
  @AcceptsRunner()
  @UseGuards(RunnerGuard)
  get(@Param('id') id: string, @Req() request: RunnerRequest) {
    return request.runner ? this.tasks.get(request.runner, id) : this.operator.get(id);
  }

  @RequiresRole('editor')
  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Body() body: unknown) {
    return this.operator.resume(request.user!, id, body);
  }

  @RequiresRole('editor')
  @Post(':id/messages')
  @HttpCode(201)
  message(@Param('id') id: string, @Req() request: AuthenticatedRequest, @Body() body: unknown) {
    return this.operator.message(request.user!, id, body);
  }
}
