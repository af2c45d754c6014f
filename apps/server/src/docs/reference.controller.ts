import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LoginPage } from '../auth/login-page.decorator';
import { RequiresRole } from '../auth/requires-role.decorator';
import { REFERENCE_CSP, ReferencePage } from './reference-page';

/** The OpenAPI document of /api/docs rendered for people, with the viewer's own login. */
@Controller('api/reference')
export class ReferenceController {
  constructor(private readonly page: ReferencePage) {}

  @LoginPage()
  @RequiresRole('viewer')
  @Get()
  async show(@Res() reply: FastifyReply): Promise<void> {
    const html = await this.page.html();
    await reply.status(200).header('content-type', 'text/html; charset=utf-8').header('content-security-policy', REFERENCE_CSP).send(html);
  }

  @RequiresRole('viewer')
  @Get('standalone.js')
  async script(@Headers('accept-encoding') acceptEncoding: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const script = await this.page.loadScript();
    const gzipped = /\bgzip\b/i.test(acceptEncoding ?? '');
    // Named by its content hash in the page: a new bundle gets a new address.
    void reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'private, max-age=31536000, immutable').header('vary', 'accept-encoding');
    if (gzipped) void reply.header('content-encoding', 'gzip');
    await reply.status(200).send(gzipped ? script.gzipped : script.plain);
  }
}
