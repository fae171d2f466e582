/** The shell command model the Dockerfile rules share: words, operators, redirections, forms. */
import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { tokenize, withExec } from '../src/parse/shell';

function commands(text: string, escapeChar = '\\') {
  return tokenize(text, 0, text.length, escapeChar).map((c) => ({
    words: c.words.map((w) => w.value),
    redirects: c.redirects.map((r) => `${r.fd ?? ''}${r.op}${r.target?.value ?? ''}`),
    after: c.after,
  }));
}

describe('tokenize', () => {
  test('operators, quotes and escapes', () => {
    assert.deepEqual(commands(`a "b c" 'd|e' f\\ g && h || i; j | k &`), [
      { words: ['a', 'b c', 'd|e', 'f g'], redirects: [], after: '&&' },
      { words: ['h'], redirects: [], after: '||' },
      { words: ['i'], redirects: [], after: ';' },
      { words: ['j'], redirects: [], after: '|' },
      { words: ['k'], redirects: [], after: '&' },
    ]);
  });

  test('redirections with file descriptors and duplications', () => {
    assert.deepEqual(commands('node app.js >> /var/log/app.log 2>&1 < /dev/null &> x'), [
      { words: ['node', 'app.js'], redirects: ['>>/var/log/app.log', '2>&1', '</dev/null', '&>x'], after: undefined },
    ]);
  });

  test('continuations and the comment lines Docker drops inside them', () => {
    assert.deepEqual(commands('apt-get update && \\\n  # install\n\n  apt-get install -y curl'), [
      { words: ['apt-get', 'update'], redirects: [], after: '&&' },
      { words: ['apt-get', 'install', '-y', 'curl'], redirects: [], after: undefined },
    ]);
  });

  test('backtick continuations under # escape=`', () => {
    assert.deepEqual(commands('npm ci `\n    --omit=dev', '`'), [{ words: ['npm', 'ci', '--omit=dev'], redirects: [], after: undefined }]);
  });

  test('a Dockerfile heredoc is the script; a heredoc fed to a program is data', () => {
    assert.deepEqual(commands('<<EOF\nset -e\nnpm ci\nEOF\n').filter((c) => c.words.length > 0).map((c) => c.words), [['set', '-e'], ['npm', 'ci']]);
    assert.deepEqual(commands('python3 <<EOF\nimport os; os.system("npm install")\nEOF\n').map((c) => c.words), [['python3']]);
  });

  test('command substitutions stay inside their word', () => {
    assert.deepEqual(commands('sh -c "$(curl -fsSL https://x | head)" && echo $(date +%s)').map((c) => c.words), [
      ['sh', '-c', '$(curl -fsSL https://x | head)'],
      ['echo', '$(date +%s)'],
    ]);
  });
});

describe('withExec', () => {
  test('goes after leading assignments and before the last command of a chain', () => {
    assert.equal(withExec('NODE_OPTIONS=--x node app.js'), 'NODE_OPTIONS=--x exec node app.js');
    assert.equal(withExec('cd /app && node app.js'), 'cd /app && exec node app.js');
    assert.equal(withExec('exec node app.js'), 'exec node app.js');
  });
});
