import { Controller, Get, Query, Req } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { AuditService } from './audit.service';

/** The audit log, read only: there is no route that changes or removes an entry. */
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@Req() request: AuthenticatedRequest, @Query() query: Record<string, string | undefined>) {
    return this.audit.list(request.user as { role?: unknown } | undefined, query);
  }
}
