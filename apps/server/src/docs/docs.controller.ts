import { Controller, Get } from '@nestjs/common';
import { RequiresRole } from '../auth/roles';
import { OPENAPI_DOCUMENT } from './openapi';

@Controller('api/docs')
export class DocsController {
  @RequiresRole('viewer')
  @Get()
  document() {
    return OPENAPI_DOCUMENT;
  }
}
