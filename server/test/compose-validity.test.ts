/**
 * Every fixed Compose fixture must still be a valid Compose file: where Debian's
 * `docker-compose` (v1, Python) is installed, `docker-compose -f <file> config -q` checks it
 * (no daemon needed). Skipped with a message when the binary is absent.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseDocument, visit, isScalar, type Pair } from 'yaml';
import { FIXTURES_DIR } from './support/fixtures';

/**
 * Messages of Compose features v1 does not know but the Compose Specification (v2) has:
 * `host_ip` in long port syntax, port ranges as `published`, extending a service that has
 * depends_on. These are valid for `docker compose` v2, so they are not failures.
 */
const V1_LIMITATIONS = [/unsupported option: 'host_ip'/, /is not a valid integer/, /services with 'depends_on' cannot be extended/];

function composeBinary(): string | undefined {
  const probe = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8', timeout: 20000 });
  return probe.status === 0 ? 'docker-compose' : undefined;
}

function fixedComposeFixtures(): string[] {
  const files: string[] = [];
  for (const dir of fs.readdirSync(FIXTURES_DIR)) {
    const full = path.join(FIXTURES_DIR, dir);
    if (!fs.statSync(full).isDirectory()) continue;
    for (const f of fs.readdirSync(full)) if (/\.fixed\.ya?ml$/.test(f)) files.push(path.join(full, f));
  }
  return files.sort();
}

/** A temp folder holding the file, its build contexts (created empty) and values for every interpolated variable. */
function sandbox(file: string): { dir: string; target: string; env: NodeJS.ProcessEnv } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-compose-'));
  const text = fs.readFileSync(file, 'utf8');
  const target = path.join(dir, 'compose.yaml');
  fs.writeFileSync(target, text);
  const doc = parseDocument(text, { merge: true });
  visit(doc, {
    Pair(_key, pair: Pair) {
      if (!isScalar(pair.key)) return;
      const key = String(pair.key.value);
      const value = isScalar(pair.value) ? String(pair.value.value) : undefined;
      if ((key === 'build' || key === 'context') && value && !value.includes('$') && !/^[a-z]+:\/\//.test(value)) fs.mkdirSync(path.join(dir, value), { recursive: true });
    },
  });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir };
  for (const m of text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) env[m[1]] = '1';
  return { dir, target, env };
}

const binary = composeBinary();
const files = fixedComposeFixtures();

test('fixed Compose fixtures are valid for docker-compose config', { skip: binary ? false : 'docker-compose (v1) is not installed: apt-get install docker-compose to run this check' }, () => {
  assert.ok(files.length > 0, 'no fixed Compose fixtures found');
  const failures: string[] = [];
  for (const file of files) {
    const { dir, target, env } = sandbox(file);
    try {
      const result = spawnSync(binary!, ['-f', target, 'config', '-q'], { cwd: dir, env, encoding: 'utf8', timeout: 60000 });
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
      if (result.status !== 0) {
        const lines = output.split('\n').filter((l) => l.trim() && !/^The Compose file .* is invalid because:$/.test(l));
        const real = lines.filter((l) => !V1_LIMITATIONS.some((p) => p.test(l)));
        if (real.length > 0 || lines.length === 0) failures.push(`${path.relative(FIXTURES_DIR, file)}: ${output}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  assert.deepEqual(failures, []);
});
