import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Public } from './auth/public.decorator';

// Compiled code runs from dist/apps/server/src; the page stays in the source tree.
const CONSOLE_PAGE = join(__dirname, '..', '..', '..', '..', 'apps', 'console', 'index.html');

@Public()
@Controller()
export class HealthController {
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  /** The console's start page. */
  @Get()
  async console(@Res() reply: FastifyReply): Promise<void> {
    await reply.header('content-type', 'text/html; charset=utf-8').send(await readFile(CONSOLE_PAGE, 'utf8'));
  }
}
