import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderAll, renderTemplate, type TemplateContext } from './templates';
import { shellQuote } from './shell-quote';

const payload = {
  ref: 'refs/heads/main',
  head_commit: { id: 'abc123', message: 'Fix it', author: { name: 'Ada' } },
  commits: [{ id: 'c1' }, { id: 'c2' }],
  size: 2,
  forced: false,
  nothing: null,
  payload: 'a field called payload',
};

function context(overrides: Partial<TemplateContext> = {}): TemplateContext {
  return {
    webhook: { payload, payloadPath: '/runs/r1/task-output/webhook-payload.json' },
    event: { type: 'push', repository: { full_name: 'acme/site' } },
    message: { id: 'msg_1' },
    vars: { env: 'prod', nested: { region: 'eu' }, count: 3 },
    ...overrides,
  };
}

describe('renderTemplate', () => {
  it('renders the whole payload as compact JSON', () => {
    expect(renderTemplate('{{webhook.payload}}', context())).toEqual({ value: JSON.stringify(payload), warnings: [] });
  });

  it('renders the payload file path', () => {
    expect(renderTemplate('cat {{ webhook.payloadPath }}', context()).value).toBe('cat /runs/r1/task-output/webhook-payload.json');
  });

  it('warns when the payload file path is not known for this target', () => {
    const rendered = renderTemplate('{{webhook.payloadPath}}', context({ webhook: { payload, payloadPath: null } }));
    expect(rendered).toEqual({ value: '', warnings: ['{{webhook.payloadPath}} has no value'] });
  });

  it('renders top-level, dotted and indexed payload fields', () => {
    const rendered = renderTemplate('{{webhook.ref}} {{webhook.head_commit.id}} {{webhook.head_commit.author.name}} {{webhook.commits.1.id}}', context());
    expect(rendered).toEqual({ value: 'refs/heads/main abc123 Ada c2', warnings: [] });
  });

  it('reaches a payload field named like a reserved one through webhook.payload', () => {
    expect(renderTemplate('{{webhook.payload.payload}}|{{webhook.payload.ref}}', context()).value).toBe('a field called payload|refs/heads/main');
  });

  it('renders numbers and booleans with String() and objects and arrays as compact JSON', () => {
    const rendered = renderTemplate('{{webhook.size}} {{webhook.forced}} {{webhook.head_commit.author}} {{webhook.commits}}', context());
    expect(rendered.value).toBe('2 false {"name":"Ada"} [{"id":"c1"},{"id":"c2"}]');
    expect(rendered.warnings).toEqual([]);
  });

  it('renders event, message and vars fields, dotted too', () => {
    const rendered = renderTemplate('{{event.type}} {{event.repository.full_name}} {{message.id}} {{vars.env}} {{vars.nested.region}} {{vars.count}}', context());
    expect(rendered).toEqual({ value: 'push acme/site msg_1 prod eu 3', warnings: [] });
  });

  it('allows whitespace inside the braces and around dots', () => {
    expect(renderTemplate('{{   webhook.ref}}-{{vars.env   }}-{{ webhook . head_commit . id }}', context()).value).toBe('refs/heads/main-prod-abc123');
  });

  it('renders missing, null and undefined values empty with one warning per distinct placeholder', () => {
    const rendered = renderTemplate('[{{webhook.missing}}][{{webhook.nothing}}][{{ webhook.missing }}][{{webhook.commits.5.id}}][{{webhook.ref.x}}]', context());
    expect(rendered.value).toBe('[][][][][]');
    expect(rendered.warnings).toEqual([
      '{{webhook.missing}} has no value',
      '{{webhook.nothing}} has no value',
      '{{webhook.commits.5.id}} has no value',
      '{{webhook.ref.x}} has no value',
    ]);
  });

  it('warns when there is no event or no message id', () => {
    const rendered = renderTemplate('{{event.type}}{{message.id}}', context({ event: null, message: { id: null } }));
    expect(rendered).toEqual({ value: '', warnings: ['{{event.type}} has no value', '{{message.id}} has no value'] });
  });

  it("renders a poll-triggered run's scmPoll fields, and warns about them in other runs", () => {
    const scmPoll = {
      providerName: 'github-main',
      repo: 'acme/customer-api',
      branch: 'release/1.0',
      oldSha: 'a'.repeat(40),
      newSha: 'b'.repeat(40),
      commitMessage: 'Fix it',
      author: null,
      commitUrl: 'https://github.com/acme/customer-api/commit/bbb',
      latencyMs: 42,
    };
    const template = '{{scmPoll.repo}}@{{scmPoll.branch}} {{scmPoll.oldSha}}..{{scmPoll.newSha}} {{scmPoll.latencyMs}} [{{scmPoll.author}}]';
    expect(renderTemplate(template, context({ scmPoll }))).toEqual({
      value: `acme/customer-api@release/1.0 ${'a'.repeat(40)}..${'b'.repeat(40)} 42 []`,
      warnings: ['{{scmPoll.author}} has no value'],
    });
    expect(renderTemplate('{{scmPoll.newSha}}', context()).warnings).toEqual(['{{scmPoll.newSha}} has no value']);
    expect(renderTemplate('{{scmPoll}}', context({ scmPoll })).warnings).toEqual(['{{scmPoll}} names no field; write scmPoll.<field>, e.g. {{scmPoll.newSha}}']);
  });

  it('names the valid roots when the root is unknown', () => {
    const rendered = renderTemplate('a{{foo.bar}}b', context());
    expect(rendered).toEqual({ value: 'ab', warnings: ['{{foo.bar}} uses unknown root "foo"; valid roots are webhook, event, message, vars, scmPoll'] });
  });

  it('warns about a bare root, an empty placeholder and an empty path segment', () => {
    const rendered = renderTemplate('{{webhook}}{{ }}{{webhook..ref}}', context());
    expect(rendered.value).toBe('');
    expect(rendered.warnings).toEqual([
      '{{webhook}} names no field; write webhook.<field>, e.g. {{webhook.payload}} or {{webhook.ref}}',
      '{{}} uses an empty name; valid roots are webhook, event, message, vars, scmPoll',
      '{{webhook..ref}} has an empty path segment',
    ]);
  });

  it('keeps an unclosed {{ and lone braces literal', () => {
    expect(renderTemplate('echo {{webhook.ref and } {', context())).toEqual({ value: 'echo {{webhook.ref and } {', warnings: [] });
    expect(renderTemplate('{{ {{webhook.ref}}', context()).value).toBe('{{ refs/heads/main');
  });

  it('does not render placeholders that arrive inside substituted values', () => {
    const rendered = renderTemplate('{{vars.a}}', context({ vars: { a: '{{vars.b}}', b: 'secret' } }));
    expect(rendered).toEqual({ value: '{{vars.b}}', warnings: [] });
  });

  it('never reaches the prototype chain', () => {
    const rendered = renderTemplate('[{{webhook.constructor}}][{{vars.__proto__}}][{{webhook.commits.length}}]', context());
    expect(rendered.value).toBe('[][][]');
    expect(rendered.warnings).toHaveLength(3);
  });

  it('does not throw on values JSON cannot represent', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const rendered = renderTemplate('[{{vars.cyclic}}][{{vars.big}}]', context({ vars: { cyclic, big: 10n } }));
    expect(rendered).toEqual({ value: '[][10]', warnings: ['{{vars.cyclic}} could not be rendered as text'] });
  });

  it('renders a bare string payload as JSON', () => {
    expect(renderTemplate('{{webhook.payload}}', context({ webhook: { payload: 'hi', payloadPath: null } })).value).toBe('"hi"');
  });

  it('warns when there is no payload', () => {
    expect(renderTemplate('{{webhook.payload}}', context({ webhook: { payload: null, payloadPath: null } }))).toEqual({
      value: '',
      warnings: ['{{webhook.payload}} has no value'],
    });
  });

  describe('with shellQuote as the transform', () => {
    it('single-quotes each substituted value and leaves the literal text alone', () => {
      const rendered = renderTemplate("deploy --ref {{webhook.ref}} --note {{vars.note}} > out.txt", context({ vars: { note: "it's" } }), { transform: shellQuote });
      expect(rendered.value).toBe(`deploy --ref 'refs/heads/main' --note 'it'\\''s' > out.txt`);
    });

    it('quotes an empty value as two quotes so the argument stays in place', () => {
      const rendered = renderTemplate('run {{webhook.missing}} last', context(), { transform: shellQuote });
      expect(rendered).toEqual({ value: "run '' last", warnings: ['{{webhook.missing}} has no value'] });
    });

    describe('running the rendered command with /bin/sh', () => {
      let dir: string;
      let emptyBin: string;
      beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'hookline-template-'));
        // Only shell built-ins are reachable, so even a quoting bug cannot run rm.
        emptyBin = join(dir, '.bin');
        mkdirSync(emptyBin);
      });
      afterEach(() => rmSync(dir, { recursive: true, force: true }));

      function run(command: string): string {
        const result = spawnSync('/bin/sh', ['-c', command], { cwd: dir, env: { PATH: emptyBin }, encoding: 'utf8' });
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        return result.stdout;
      }

      const hostile = [
        '$(rm -rf /)',
        '$(: > pwned)',
        '`: > pwned`',
        '; : > pwned',
        '&& : > pwned || : > pwned &',
        '| : > pwned',
        'line one\n: > pwned\nline three',
        "it's",
        "'; : > pwned; '",
        "''",
        '"double" "$(: > pwned)"',
        'back\\slash \\n \\\\ \\',
        '$HOME ${PATH} $((1+1)) !!',
        '* ? [a-z] ~',
        '-n -e --help',
        'tab\there\r\nand cr',
        'ünïcødé 🚀 中文 \u202e',
        '',
      ];

      it.each(hostile.map((value) => [JSON.stringify(value), value]))('prints %s exactly and creates no file', (_label, value) => {
        const rendered = renderTemplate("printf '%s' {{vars.v}}", context({ vars: { v: value } }), { transform: shellQuote });
        expect(run(rendered.value)).toBe(value);
        expect(readdirSync(dir)).toEqual(['.bin']);
      });

      it('keeps a quoted value one word even when glued to literal text', () => {
        const rendered = renderTemplate("printf '<%s>' pre{{vars.v}}post {{webhook.ref}}", context({ vars: { v: "a b; c'd" } }), { transform: shellQuote });
        expect(run(rendered.value)).toBe("<prea b; c'dpost><refs/heads/main>");
      });

      it('passes a hostile payload field and the whole payload through unchanged', () => {
        const hostilePayload = { title: "$(: > pwned) `x` 'q' \"d\" \\ \n ✓" };
        const rendered = renderTemplate("printf '%s|' {{webhook.title}} {{webhook.payload}}", context({ webhook: { payload: hostilePayload, payloadPath: null } }), {
          transform: shellQuote,
        });
        expect(run(rendered.value)).toBe(`${hostilePayload.title}|${JSON.stringify(hostilePayload)}|`);
        expect(readdirSync(dir)).toEqual(['.bin']);
      });
    });
  });
});

describe('renderAll', () => {
  it('renders every string deeply and keeps keys and other leaves', () => {
    const input = {
      headers: { 'X-Ref': '{{webhook.ref}}', '{{vars.env}}': 'key stays' },
      params: [{ id: '{{webhook.commits.0.id}}', n: 5, on: true, none: null }, 'env={{vars.env}}'],
    };
    const rendered = renderAll(input, context());
    expect(rendered).toEqual({
      value: {
        headers: { 'X-Ref': 'refs/heads/main', '{{vars.env}}': 'key stays' },
        params: [{ id: 'c1', n: 5, on: true, none: null }, 'env=prod'],
      },
      warnings: [],
    });
    expect(input.headers['X-Ref']).toBe('{{webhook.ref}}');
  });

  it('reports a placeholder used in several strings once', () => {
    const rendered = renderAll({ a: '{{vars.nope}}', b: ['{{vars.nope}}', '{{event.nope}}'] }, context());
    expect(rendered.warnings).toEqual(['{{vars.nope}} has no value', '{{event.nope}} has no value']);
  });

  it('renders a plain string and applies the transform', () => {
    expect(renderAll('x {{vars.env}}', context(), { transform: shellQuote }).value).toBe("x 'prod'");
  });

  it('copes with cycles', () => {
    const input: Record<string, unknown> = { name: '{{vars.env}}' };
    input.self = input;
    const rendered = renderAll(input, context()).value as Record<string, unknown>;
    expect(rendered.name).toBe('prod');
    expect(rendered.self).toBe(rendered);
  });
});
