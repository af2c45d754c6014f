import { Controller, Get, Query } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import { OverviewService } from './overview.service';

@Controller('api/overview')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  /** Messages per bucket by status, failure rate, queue depth and the slowest functions. */
  @RequiresRole('viewer')
  @Get()
  get(@Query('range') range?: string) {
    return this.overview.get(range);
  }
}
