import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { RequiresRole } from '../auth/requires-role.decorator';
import { ScmPollService } from './scm-poll.service';

/** Test Poll and the poll state, under the automations they belong to. */
@Controller('api/automations')
export class ScmPollController {
  constructor(private readonly scmPoll: ScmPollService) {}

  @RequiresRole('editor')
  @Post(':id/test-poll')
  @HttpCode(200)
  testPoll(@Param('id') id: string, @Body() body: unknown) {
    return this.scmPoll.testPoll(id, body);
  }

  @RequiresRole('viewer')
  @Get(':id/scm-state')
  state(@Param('id') id: string) {
    return this.scmPoll.pollState(id);
  }
}
