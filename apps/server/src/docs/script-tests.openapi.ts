import { FunctionTestResultView, ProviderTestResultView } from '../script-tests/script-test-view';
import { PreviewView } from '../script-tests/preview-view';
import { PreviewInput, TestFunctionInput, TestProviderInput } from '../script-tests/script-test-input';
import { error, idParams, invalid, type Routes } from './contract';

/** Test and preview: a script that does not compile is a result, never a 400. */
export const SCRIPT_TEST_ROUTES: Routes = {
  '/api/providers/{id}/test': {
    post: {
      tags: ['Providers'],
      access: 'editor',
      summary: 'Test a draft match script (and scheme, options, event format) against a stored message or a pasted request; nothing is saved',
      params: idParams,
      body: TestProviderInput,
      responses: { 200: { description: 'The result', body: ProviderTestResultView }, ...invalid, 404: error('No such provider') },
    },
  },
  '/api/functions/{id}/test': {
    post: {
      tags: ['Functions'],
      access: 'editor',
      summary: 'Run a draft script and condition against a stored message or a pasted request: http.fetch and automations.trigger are recorded, not done; nothing is saved',
      params: idParams,
      body: TestFunctionInput,
      responses: { 200: { description: 'The result', body: FunctionTestResultView }, ...invalid, 404: error('No such function') },
    },
  },
  '/api/preview': {
    post: {
      tags: ['Providers'],
      access: 'editor',
      summary: 'Replay the newest stored messages through a draft provider order and match scripts: which provider and functions each would go to, beside what happened',
      body: PreviewInput,
      bodyRequired: false,
      responses: { 200: { description: 'Per message, what happened and what the draft would do', body: PreviewView }, ...invalid },
    },
  },
};
