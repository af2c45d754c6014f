import { isGlobPattern, matchesAnyGlob, matchesGlob } from './scm-glob';

const matching = (pattern: string, names: string[]) => names.filter((name) => matchesGlob(pattern, name));

describe('matchesGlob', () => {
  it('matches an exact name only to itself, dots and case included', () => {
    expect(matching('main', ['main', 'Main', 'main2', 'xmain', 'main/x'])).toEqual(['main']);
    expect(matching('release/1.0', ['release/1.0', 'release/1x0', 'release/1.0/hotfix'])).toEqual(['release/1.0']);
    expect(matching('package.json', ['package.json', 'packageXjson', 'app/package.json'])).toEqual(['package.json']);
  });

  it('lets * stand for any run of characters within one segment', () => {
    const branches = ['release/1.0', 'release/', 'release/2.x-rc', 'release/1.0/hotfix', 'releases/1.0', 'release'];
    expect(matching('release/*', branches)).toEqual(['release/1.0', 'release/', 'release/2.x-rc']);
    expect(matching('*.md', ['README.md', '.md', 'docs/README.md', 'README.mdx'])).toEqual(['README.md', '.md']);
    expect(matching('feat*-ui', ['feat-ui', 'feature-ui', 'feat/x-ui'])).toEqual(['feat-ui', 'feature-ui']);
  });

  it('lets ? stand for exactly one character other than /', () => {
    expect(matching('v?.?', ['v1.2', 'v12.2', 'v.2', 'v1/2'])).toEqual(['v1.2']);
    expect(matching('a?b', ['a/b', 'axb'])).toEqual(['axb']);
  });

  it('lets a ** segment stand for zero or more whole segments', () => {
    const paths = ['src', 'src/a.ts', 'src/api/v1/users.ts', 'srcx/a.ts', 'lib/src/a.ts'];
    expect(matching('src/**', paths)).toEqual(['src', 'src/a.ts', 'src/api/v1/users.ts']);
    expect(matching('**/*.ts', ['a.ts', 'src/a.ts', 'src/api/v1/users.ts', 'a.js'])).toEqual(['a.ts', 'src/a.ts', 'src/api/v1/users.ts']);
    expect(matching('docs/**/*.md', ['docs/a.md', 'docs/x/y/a.md', 'docs/x/a.txt', 'a.md'])).toEqual(['docs/a.md', 'docs/x/y/a.md']);
    expect(matching('**', ['a', 'a/b/c', '.github/workflows/ci.yml'])).toEqual(['a', 'a/b/c', '.github/workflows/ci.yml']);
    expect(matching('src/**/test/**', ['src/test/a', 'src/x/test/y/z', 'src/x/a'])).toEqual(['src/test/a', 'src/x/test/y/z']);
  });

  it('treats ** inside a segment as a single *', () => {
    expect(matching('src/a**', ['src/a', 'src/abc', 'src/a/b'])).toEqual(['src/a', 'src/abc']);
  });

  it('ignores a leading / on either side and reads a trailing / as everything under it', () => {
    expect(matchesGlob('/src/*.ts', 'src/a.ts')).toBe(true);
    expect(matchesGlob('src/*.ts', '/src/a.ts')).toBe(true);
    expect(matching('src/', ['src/a', 'src/a/b', 'srcx'])).toEqual(['src/a', 'src/a/b']);
  });

  it('takes brackets and braces literally', () => {
    expect(matching('a[1].txt', ['a[1].txt', 'a1.txt'])).toEqual(['a[1].txt']);
    expect(matching('{a,b}', ['{a,b}', 'a'])).toEqual(['{a,b}']);
  });

  it('backtracks to the right star when an early match is a false start', () => {
    expect(matchesGlob('*ab*ab', 'xabyabab')).toBe(true);
    expect(matchesGlob('a/**/b/**/c', 'a/b/x/b/y/c')).toBe(true);
    expect(matchesGlob('a/**/b/c', 'a/b/x/b/c/d')).toBe(false);
  });

  it('answers at once for a pattern with many stars against a long name that fails', () => {
    // A regular-expression translation would backtrack exponentially here.
    expect(matchesGlob('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(matchesGlob('**/**/**/**/**/**/x', Array.from({ length: 500 }, () => 'd').join('/'))).toBe(false);
  });
});

describe('matchesAnyGlob and isGlobPattern', () => {
  it('matches a name against any of several patterns', () => {
    expect(matchesAnyGlob(['src/api/**', 'package.json'], 'package.json')).toBe(true);
    expect(matchesAnyGlob(['src/api/**', 'package.json'], 'src/web/index.ts')).toBe(false);
    expect(matchesAnyGlob([], 'anything')).toBe(false);
  });

  it('tells patterns from exact names by * and ?', () => {
    expect(['main', 'release/*', 'v?', 'src/**', 'a[1]'].map(isGlobPattern)).toEqual([false, true, true, true, false]);
  });
});
