import assert from 'node:assert/strict';
import { CommandConfigError, compilePathCommand, rewritePath } from './path-commands.js';
import { stripExtended } from './regex-options.js';

const compile = (...commands: Parameters<typeof compilePathCommand>[0][]) => commands.map((c, i) => compilePathCommand(c, i));

describe('url_rewriting path commands (policies.md §5.36)', () => {
  it('sub replaces the first match, gsub every match', () => {
    assert.equal(rewritePath(compile({ op: 'sub', regex: 'o', replace: '0' }), '/foo/boo', 'GET'), '/f0o/boo');
    assert.equal(rewritePath(compile({ op: 'gsub', regex: 'o', replace: '0' }), '/foo/boo', 'GET'), '/f00/b00');
  });

  it('supports $0, $1 and ${1} in the replacement, $$ as a dollar', () => {
    const commands = compile({ op: 'sub', regex: '^/v(\\d+)/(\\w+)', replace: '/${2}/version$1/[$0]$$' });
    assert.equal(rewritePath(commands, '/v2/items/x', 'GET'), '/items/version2/[/v2/items]$/x');
  });

  it('applies commands in order on the new path; break stops only after a change', () => {
    const commands = compile(
      { op: 'sub', regex: 'nomatch', replace: 'x', break: true },
      { op: 'sub', regex: '^/a', replace: '/b', break: true },
      { op: 'sub', regex: '^/b', replace: '/c' },
    );
    assert.equal(rewritePath(commands, '/a/1', 'GET'), '/b/1');
    const chained = compile({ op: 'sub', regex: '^/a', replace: '/b' }, { op: 'sub', regex: '^/b', replace: '/c' });
    assert.equal(rewritePath(chained, '/a/1', 'GET'), '/c/1');
  });

  it('is case-sensitive unless the i option is given', () => {
    assert.equal(rewritePath(compile({ op: 'sub', regex: 'ABC', replace: 'x' }), '/abc', 'GET'), '/abc');
    assert.equal(rewritePath(compile({ op: 'sub', regex: 'ABC', replace: 'x', options: 'ijo' }), '/abc', 'GET'), '/x');
  });

  it('x option removes whitespace and comments outside character classes', () => {
    assert.equal(stripExtended('^/a b # comment\n[ ]c\\ d'), '^/ab[ ]c\\ d');
    assert.equal(
      rewritePath(compile({ op: 'sub', regex: ' ^/old  # the prefix', replace: '/new', options: 'x' }), '/old/x', 'GET'),
      '/new/x',
    );
  });

  it('skips commands whose methods do not list the request method', () => {
    const commands = compile({ op: 'sub', regex: '^/a', replace: '/p', methods: ['POST'] });
    assert.equal(rewritePath(commands, '/a', 'GET'), '/a');
    assert.equal(rewritePath(commands, '/a', 'POST'), '/p');
  });

  it('rejects an invalid regex, option or replacement naming the field', () => {
    assert.throws(
      () => compile({ op: 'sub', regex: '(', replace: 'x' }),
      (e: unknown) => e instanceof CommandConfigError && e.field === 'commands[0].regex',
    );
    assert.throws(
      () => compile({ op: 'sub', regex: 'a', replace: 'x', options: 'iq' }),
      (e: unknown) => e instanceof CommandConfigError && e.field === 'commands[0].options' && /'q'/.test(e.message),
    );
    assert.throws(
      () => compile({ op: 'sub', regex: 'a', replace: '$x' }),
      (e: unknown) => e instanceof CommandConfigError && e.field === 'commands[0].replace',
    );
    assert.throws(() => compile({ op: 'sub', regex: 'a', replace: '${1' }), CommandConfigError);
  });

  it('gsub with a pattern that can match empty does not loop', () => {
    assert.equal(rewritePath(compile({ op: 'gsub', regex: 'x*', replace: '-' }), '/a', 'GET'), '-/-a-');
  });
});
