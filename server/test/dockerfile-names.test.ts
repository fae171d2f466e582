/**
 * Dockerfile variants named around "Dockerfile" (`Dockerfile-prod`, `prod.Dockerfile`, `Dockerfile.dev`)
 * are Dockerfiles everywhere: the CLI walk and the workspace index (both classify with
 * `isDockerfileName`) and the editor, where a file only reaches the server when VS Code gives it the
 * `dockerfile` language: by its built-in associations or by the patterns package.json contributes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDockerfileName } from '../src/engine/classify';

const ROOT = path.resolve(__dirname, '../../..');

/** VS Code's built-in `dockerfile` language (extensions/docker/package.json). */
const BUILT_IN = { filenames: ['Dockerfile', 'Containerfile'], filenamePatterns: ['Dockerfile.*', 'Containerfile.*'], extensions: ['.dockerfile', '.containerfile'] };

/** A filename glob with `*` only, as language `filenamePatterns` use them. */
function globMatches(glob: string, name: string): boolean {
  const re = new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

function editorLanguageIsDockerfile(name: string, contributed: string[]): boolean {
  return BUILT_IN.filenames.includes(name) || BUILT_IN.extensions.some((ext) => name.toLowerCase().endsWith(ext))
    || [...BUILT_IN.filenamePatterns, ...contributed].some((glob) => globMatches(glob, name));
}

const VARIANTS = ['Dockerfile', 'Dockerfile-prod', 'Dockerfile-dev', 'Dockerfile_ci', 'Dockerfile.dev', 'Dockerfile.prod', 'prod.Dockerfile', 'api.dockerfile', 'worker-Dockerfile', 'Containerfile', 'Containerfile-arm64'];

test('Dockerfile variants are Dockerfiles for the CLI walk and the workspace index', () => {
  for (const name of [...VARIANTS, 'dockerfile-prod']) assert.equal(isDockerfileName(name), true, name);
  for (const name of ['dockerfile-utils.ts', 'Dockerfile.md', 'Dockerfile-template.yaml', 'Dockerfile.j2', 'build-dockerfile.sh', 'dockerfiles']) assert.equal(isDockerfileName(name), false, name);
});

test('the editor gives every Dockerfile variant the dockerfile language (built-in + contributed patterns)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { languages?: Array<{ id: string; filenamePatterns?: string[] }> } };
  const contributed = pkg.contributes.languages?.find((l) => l.id === 'dockerfile')?.filenamePatterns ?? [];
  for (const name of VARIANTS) assert.equal(editorLanguageIsDockerfile(name, contributed), true, `${name} would not be a dockerfile document in VS Code`);
  // a filename pattern outranks an extension in VS Code: no contributed pattern may claim a source file
  // (lowercase `dockerfile-*` would take `dockerfile-utils.ts`; the CLI still reads `dockerfile-prod`)
  for (const name of ['dockerfile-utils.ts', 'my-dockerfile.md', 'generate-dockerfile.js', 'dockerfile_parser.py']) assert.equal(contributed.some((glob) => globMatches(glob, name)), false, name);
});
