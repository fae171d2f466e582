/**
 * parse/identifier-search.ts: identifiers found through the text are exactly the identifiers a
 * walk of the tree finds with that name, in the same order, on real files and on edits that
 * put the name in strings, comments, templates and property names; a text that may spell one
 * with an escape gets no answer.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { loadTypescript } from '../src/parse/typescript';
import { identifiersNamed } from '../src/parse/identifier-search';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ts = loadTypescript();

function walkNamed(sourceFile: TS.SourceFile, name: string): TS.Identifier[] {
  const out: TS.Identifier[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

function parse(text: string): TS.SourceFile {
  return ts.createSourceFile('/x.ts', text, ts.ScriptTarget.Latest, true);
}

describe('identifiers found through the text', () => {
  test('equal a walk of the tree, in order, on real files', () => {
    const files = ['server/src/engine/run.ts', 'server/src/engine/statement-memo.ts', 'server/src/rules/disposability/no-graceful-shutdown.ts', 'server/src/features/diagnostics.ts'];
    let compared = 0;
    for (const file of files) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\\u/g, '\\x'); // no escapes: the search answers
      const sourceFile = parse(text);
      for (const name of ['listen', 'ts', 'statement', 'file', 'name', 'i', 'at', 'report', 'parsed', 'e']) {
        const found = identifiersNamed(ts, sourceFile, name);
        assert.ok(found, `${file}: ${name}`);
        assert.deepEqual(found, walkNamed(sourceFile, name), `${file}: ${name}`);
        compared += found.length;
      }
    }
    assert.ok(compared > 200, `identifiers compared: ${compared}`);
  });

  test('of some statements (a rule\'s part of each statement): a walk of those statements, an escape elsewhere in the file left out', () => {
    const text = fs.readFileSync(path.join(ROOT, 'server/src/engine/run.ts'), 'utf8').replace(/\\u/g, '\\x');
    // an escape in the last statement only: the statements before it still get an answer
    const sourceFile = parse(`${text}\nconst escaped = '\\u00e9';\n`);
    const statements = sourceFile.statements;
    let compared = 0;
    for (let i = 0; i < statements.length - 1; i++) {
      for (const name of ['ts', 'file', 'parsed', 'rule', 'report', 'config', 'options', 'input', 'findings']) {
        const found = identifiersNamed(ts, sourceFile, name, statements[i].pos, statements[i].end);
        const walked: TS.Identifier[] = [];
        const visit = (node: TS.Node): void => { if (ts.isIdentifier(node) && node.text === name) walked.push(node); ts.forEachChild(node, visit); };
        visit(statements[i]);
        assert.deepEqual(found, walked, `statement ${i}: ${name}`);
        compared += walked.length;
      }
    }
    assert.ok(compared > 100, `identifiers compared: ${compared}`);
    const last = statements[statements.length - 1];
    assert.equal(identifiersNamed(ts, sourceFile, 'escaped', last.pos, last.end), undefined, 'the escape is in that statement');
  });

  test('the name in strings, comments, templates, property names and longer words is not an identifier of it', () => {
    const text = [
      "const listen = 'listen';",
      '// listen() here is a comment',
      'app.listen(3000); app.listener(1); relisten(); $listen(); listen_();',
      'const o = { listen: 1, [listen]: 2 }; o.listen;',
      'const t = `listen ${listen} listen`;',
      'type T = { listen(): void };',
      '/* listen */ function listen2(listen: number) { return listen; }',
      'f(/* listen */ listen);', // the comment is the identifier's leading trivia: one identifier, not two
    ].join('\n');
    const sourceFile = parse(text);
    assert.deepEqual(identifiersNamed(ts, sourceFile, 'listen'), walkNamed(sourceFile, 'listen'));
    assert.equal(walkNamed(sourceFile, 'listen').length, 10); // a declaration, two members, a property name and key, a template span, a method signature, a parameter and its use, an argument
  });

  test('a text that may spell a name with an escape gets no answer', () => {
    assert.equal(identifiersNamed(ts, parse('server.\\u006cisten(3000);'), 'listen'), undefined);
    assert.equal(identifiersNamed(ts, parse("const s = '\\u00e9'; app.listen(1);"), 'listen'), undefined);
  });
});
