import { checkShellPlaceholders } from './shell-placeholders';

const rule =
  'With "shell": true each placeholder must be a whole word outside quotes, because its value is inserted single-quoted for the shell. ' +
  'Write it as a word of its own, or run the command without a shell, where a placeholder may sit anywhere in an argument (--ref={{webhook.ref}})';

describe('checkShellPlaceholders', () => {
  it.each([
    'echo {{webhook.a}}',
    '{{vars.tool}} --flag',
    'echo {{webhook.a}}|tee out;echo {{webhook.b}}&&true',
    'cat <{{vars.in}} >{{vars.out}}',
    'test -n "$(echo {{webhook.a}})"',
    "echo 'quoted {{ but' {{webhook.a}} \"and $(printf %s {{webhook.b}})\"",
    '(cd /srv && ./deploy.sh {{webhook.ref}})',
    'echo {{webhook.a}} # a comment',
    'echo no placeholders <<EOF',
  ])('accepts %j', (command) => {
    expect(checkShellPlaceholders(command)).toBeNull();
  });

  it.each([
    ['echo "{{webhook.a}}"', '{{webhook.a}} is inside double quotes'],
    ["echo '{{webhook.a}}'", '{{webhook.a}} is inside single quotes'],
    ['echo "$(echo "{{webhook.a}}")"', '{{webhook.a}} is inside double quotes'],
    ['echo --ref={{webhook.a}}', '{{webhook.a}} is joined to other text'],
    ['echo {{webhook.a}}.txt', '{{webhook.a}} is joined to other text'],
    ['echo {{webhook.a}}{{webhook.b}}', '{{webhook.a}} is joined to other text'],
    ['echo \\{{webhook.a}}', '{{webhook.a}} is joined to other text (a backslash)'],
    ['echo `echo {{webhook.a}}`', '{{webhook.a}} is inside backticks'],
    ['echo `echo $(echo {{webhook.a}})`', '{{webhook.a}} is inside backticks'],
    ['echo ${X:-{{webhook.a}}}', '{{webhook.a}} is inside ${…}'],
    ['echo $(( {{webhook.a}} + 1 ))', '{{webhook.a}} is inside $((…))'],
    ['echo hi # {{webhook.a}}', '{{webhook.a}} is inside a comment'],
    ['echo {{webhook.f | option}}x', '{{webhook.f | option}} is joined to other text'],
    ['cat <<EOF\n{{webhook.a}}\nEOF', '{{webhook.a}} is in a command that uses a here-document (<<), inside which quoting does not work'],
  ])('refuses %j', (command, problem) => {
    expect(checkShellPlaceholders(command)).toBe(`${problem}. ${rule}`);
  });
});
