import { ScmHostError } from '../../libs/engine/src/scm-hosts';

/** The ScmHostError a host call fails with; any other outcome fails the test. */
export async function scmFailure(promise: Promise<unknown>): Promise<ScmHostError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ScmHostError) return err;
    throw err;
  }
  throw new Error('expected the call to fail with an ScmHostError');
}
