import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { AutomationsService } from './automations.service';
import { RunsService } from './runs.service';

@Controller('api/automations')
export class AutomationsController {
  constructor(private readonly automations: AutomationsService) {}

  @Get()
  list() {
    return this.automations.list();
  }

  @Post()
  create(@Body() body: unknown) {
    return this.automations.create(body);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.automations.get(id);
  }

  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.automations.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.automations.remove(id);
  }

  @Post(':id/run')
  @HttpCode(202)
  run(@Param('id') id: string, @Body() body: unknown) {
    return this.automations.runNow(id, body);
  }

  @Get(':id/runs')
  runs(@Param('id') id: string) {
    return this.automations.runsOf(id);
  }
}

@Controller('api/runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Get(':id')
  get(@Param('id') id: string) {
    return this.runs.get(id);
  }
}
