import { Controller, Get } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import { BUILTIN_SCHEMES, EVENT_FORMATS } from '../../../../libs/providers/src';
import type { SchemesView } from './provider-view';

/** What a provider can choose from: verification schemes and event formats. */
@Controller('api/schemes')
export class SchemesController {
  @RequiresRole('viewer')
  @Get()
  list(): SchemesView {
    return {
      schemes: BUILTIN_SCHEMES.map((scheme) => ({
        name: scheme.name,
        description: scheme.description,
        needsSecret: scheme.needsSecret,
        options: scheme.options ?? {},
      })),
      eventFormats: [...EVENT_FORMATS],
    };
  }
}
