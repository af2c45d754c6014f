import { draftOf, inputOf } from './git-provider-draft';
import type { GitProvider } from './git-provider-types';

const github: GitProvider = {
  id: '5d1c1e7e-2222-4f4f-9a9a-000000000001',
  name: 'github-main',
  kind: 'github',
  baseUrl: 'https://api.github.com',
  remoteUrl: null,
  username: null,
  tokenConfigured: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('the Git provider draft', () => {
  it('never fills the token from the API, and a save without one keeps the stored token', () => {
    const draft = draftOf(github);
    expect(draft.token).toBe('');
    expect(inputOf(draft)).toEqual({ name: 'github-main', kind: 'github', baseUrl: 'https://api.github.com' });
  });

  it('sends a typed token, and null to remove the stored one', () => {
    const draft = draftOf(github);
    draft.token = 'ghp_new';
    expect(inputOf(draft).token).toBe('ghp_new');
    draft.removeToken = true;
    expect(inputOf(draft).token).toBeNull();
  });

  it('sends only the fields the kind uses, empty ones as null for the server to default or name', () => {
    const draft = draftOf(github);
    draft.baseUrl = '  ';
    expect(inputOf(draft)).toEqual({ name: 'github-main', kind: 'github', baseUrl: null });

    draft.kind = 'git';
    draft.remoteUrl = ' https://git.example.com/team/app.git ';
    expect(inputOf(draft)).toEqual({ name: 'github-main', kind: 'git', remoteUrl: 'https://git.example.com/team/app.git', username: null });
    draft.username = 'ci-bot';
    draft.token = 's3cret';
    expect(inputOf(draft)).toEqual({ name: 'github-main', kind: 'git', remoteUrl: 'https://git.example.com/team/app.git', username: 'ci-bot', token: 's3cret' });

    draft.kind = 'azure-devops';
    draft.baseUrl = 'https://dev.azure.com/fabrikam';
    expect(inputOf(draft)).toEqual({ name: 'github-main', kind: 'azure-devops', baseUrl: 'https://dev.azure.com/fabrikam', token: 's3cret' });
  });

  it('starts a new provider as GitHub with nothing typed', () => {
    expect(draftOf(undefined)).toEqual({ name: '', kind: 'github', baseUrl: '', remoteUrl: '', username: '', token: '', removeToken: false });
  });
});
