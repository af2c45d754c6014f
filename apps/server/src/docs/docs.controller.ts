import { Controller, Get } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import { OPENAPI_DOCUMENT } from './openapi';

@Controller('api/docs')
export class DocsController {
  @RequiresRole('viewer')
  @Get()
  document() {
    return OPENAPI_DOCUMENT;
  }
}
