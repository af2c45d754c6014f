import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import { PreviewService } from './preview.service';
import { ScriptTestsService } from './script-tests.service';

/** Test before save and preview over history: drafts run against stored messages, never saved. */
@Controller('api')
export class ScriptTestsController {
  constructor(
    private readonly tests: ScriptTestsService,
    private readonly previews: PreviewService,
  ) {}

  @RequiresRole('editor')
  @Post('providers/:id/test')
  @HttpCode(200)
  testProvider(@Param('id') id: string, @Body() body: unknown) {
    return this.tests.testProvider(id, body);
  }

  @RequiresRole('editor')
  @Post('functions/:id/test')
  @HttpCode(200)
  testFunction(@Param('id') id: string, @Body() body: unknown) {
    return this.tests.testFunction(id, body);
  }

  @RequiresRole('editor')
  @Post('preview')
  @HttpCode(200)
  preview(@Body() body: unknown) {
    return this.previews.preview(body);
  }
}
