import { splitCommandWords } from './command-words';

describe('splitCommandWords', () => {
  it.each([
    ['deploy.sh main', ['deploy.sh', 'main']],
    ['  spaced \t out\n  ', ['spaced', 'out']],
    [`echo 'two words' "say \\"hi\\"" it\\'s`, ['echo', 'two words', 'say "hi"', "it's"]],
    [`printf '%s' '' ""`, ['printf', '%s', '', '']],
    [`echo '$(id) | ; && > \`x\` * ~'`, ['echo', '$(id) | ; && > `x` * ~']],
    [`echo "a \\$HOME \\\` \\\\ \\n"`, ['echo', 'a $HOME ` \\ \\n']],
    ['echo a\\ b \\| c\\\nd', ['echo', 'a b', '|', 'cd']],
    ['git --work-tree=x#y a~b', ['git', '--work-tree=x#y', 'a~b']],
  ])('splits %j into words', (command, words) => {
    expect(splitCommandWords(command)).toEqual({ ok: true, words });
  });

  it('keeps a placeholder whole inside its word, spaces, quotes and "|" included', () => {
    expect(splitCommandWords(`run {{ webhook.ref }} '{{webhook.a}}'x --f={{webhook.flag | option}} "{{vars.b}}"`)).toEqual({
      ok: true,
      words: ['run', '{{ webhook.ref }}', '{{webhook.a}}x', '--f={{webhook.flag | option}}', '{{vars.b}}'],
    });
  });

  it.each([
    ['echo a | tee out', '|', 8],
    ['echo a; rm x', ';', 7],
    ['make && deploy', '&&', 6],
    ['echo hi >out', '>', 9],
    ['echo $(id)', '$(', 6],
    ['echo $HOME', '$', 6],
    ['echo `id`', '`', 6],
    ['ls *.txt', '*', 4],
    ['cd ~', '~', 4],
    ['echo hi # note', '#', 9],
    ['(cd x)', '(', 1],
  ])('refuses shell syntax in %j, saying where and what to do', (command, shown, at) => {
    expect(splitCommandWords(command)).toEqual({
      ok: false,
      error: `has shell syntax "${shown}" at character ${at}, but the command runs without a shell, which would pass it as text: quote it ('${shown}') if it is text, or set "shell": true to run the command with /bin/sh`,
    });
  });

  it('refuses $ and backticks inside double quotes, which a shell would expand', () => {
    expect(splitCommandWords('echo "$HOME"')).toEqual({
      ok: false,
      error: `has "$" inside double quotes at character 7, which a shell would expand, but the command runs without a shell: quote it in single quotes ('$') or with a backslash (\\$) if it is text, or set "shell": true to run the command with /bin/sh`,
    });
    expect(splitCommandWords('echo "`id`"')).toMatchObject({ ok: false, error: expect.stringMatching(/^has "`" inside double quotes at character 7/) });
  });

  it('refuses unclosed quotes, a trailing backslash and an empty command', () => {
    expect(splitCommandWords("echo 'open")).toEqual({ ok: false, error: 'has a single quote that is never closed' });
    expect(splitCommandWords('echo "open')).toEqual({ ok: false, error: 'has a double quote that is never closed' });
    expect(splitCommandWords('echo \\')).toEqual({ ok: false, error: 'ends with a backslash that escapes nothing' });
    expect(splitCommandWords(' \n ')).toEqual({ ok: false, error: 'has no words: give the program to run' });
  });
});
