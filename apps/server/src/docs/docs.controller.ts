import { Controller, Get } from '@nestjs/common';
import { OPENAPI_DOCUMENT } from './openapi';

@Controller('api/docs')
export class DocsController {
  @Get()
  document() {
    return OPENAPI_DOCUMENT;
  }
}
