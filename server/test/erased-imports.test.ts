/**
 * Imports TypeScript erases (workspace/erased-imports.ts): the text test that gates the role
 * pre-pass's parse, and the parse-based answer. The role outcome on a whole workspace is the
 * `type-only-imports` case of file-roles.test.ts.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseTypescript } from '../src/parse/typescript';
import { erasedImportSpecifiers, mayHaveErasedImports } from '../src/workspace/erased-imports';

const erased = (text: string, path = 'src/a.ts') => (mayHaveErasedImports(text, path) ? erasedImportSpecifiers(parseTypescript(text, { path }), path) : []);

test('local imports used only as types are erased; value uses, JS files and packages are not', () => {
  assert.deepEqual(erased("import type { A } from './a';\nlet x: A;"), ['./a']);
  assert.deepEqual(erased("export type { A } from '@/a';"), ['@/a']);
  assert.deepEqual(erased("import { type A, type B } from '~/a';\nlet x: A | B;"), ['~/a']);
  assert.deepEqual(erased("import { A } from './a';\nclass S { a?: A; f(x: A): A[] { return [x]; } }"), ['./a']);
  assert.deepEqual(erased("import { A } from './a';\nimport { B } from './b';\nconst x = new A();\nlet y: B;"), ['./b'], 'only the type-only one');
  assert.deepEqual(erased("import { A } from './a';\nimport type { B } from './a';\nA.run();\nlet y: B;"), [], 'one value import keeps the specifier');
  assert.deepEqual(erased("import { A } from './a';\nconst m = { useClass: A };"), [], 'an object value');
  assert.deepEqual(erased("import { A } from './a';\nclass S extends A {}"), [], 'class extends runs A');
  assert.deepEqual(erased("import { A } from './a';\n@Injectable()\nclass S { constructor(private a: A) {} }"), [], 'decorator metadata keeps constructor parameter types');
  assert.deepEqual(erased("import { A } from './a';\nclass S { @Inject() a!: A; }"), [], 'and decorated members');
  assert.deepEqual(erased("import { A } from './a';\nimport { B } from './b';\nimport { C } from './c';\n@Injectable()\nclass S { constructor(private a: A) {} f(x: B): C { return C.of(x); } }"), ['./b'], 'each import of a file judged on its own names');
  assert.deepEqual(erased("import { A } from './a';\nlet x: A;", 'src/a.js'), [], 'JavaScript elides nothing');
  assert.deepEqual(erased("import type { Request } from 'express';\nlet r: Request;"), [], 'packages are no reachability edge anyway');
  assert.equal(mayHaveErasedImports("import { start } from './server';\nstart();", 'src/main.ts'), false, 'a value use needs no parse');
});
