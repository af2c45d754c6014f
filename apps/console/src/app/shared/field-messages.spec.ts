import { fieldMessages, isShownField } from './field-messages';

describe('field errors of lists', () => {
  const fields = { 'scmPoll.branches': 'may name at most 50 branches', 'scmPoll.branches.2': 'must not be empty', 'scmPoll.branchesX': 'other', 'scmPoll.branches.a': 'other' };

  it('shows a list’s entries with their place only when asked to', () => {
    expect(fieldMessages(fields, 'scmPoll.branches', true)).toEqual(['may name at most 50 branches', 'entry 3: must not be empty']);
    expect(fieldMessages(fields, 'scmPoll.branches', false)).toEqual(['may name at most 50 branches']);
  });

  it('counts an entry as shown when its list is shown as list.*', () => {
    expect(isShownField(new Set(['scmPoll.branches.*']), 'scmPoll.branches.2')).toBe(true);
    expect(isShownField(new Set(['scmPoll.branches']), 'scmPoll.branches.2')).toBe(false);
    expect(isShownField(new Set(['scmPoll.branches.*']), 'scmPoll.branchesX')).toBe(false);
  });
});
