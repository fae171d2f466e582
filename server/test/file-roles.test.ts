/**
 * File roles from evidence (`fixtures/_workspace/_roles/<case>/`, issue #12's cases): each case
 * lists in `roles.json` the role every named file must get, findings that must stay (`present`,
 * server look-alikes) and files or file+rule pairs that must stay silent (`absent`). Every case
 * runs through Analyze Workspace (`analyzeWorkspace`), the CLI (`runAnalysis`, JSON `files`) and
 * the editor's host (`ProjectFacts`), which must agree on the roles.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runAnalysis } from '../src/cli/analyze-paths';
import { jsonFiles } from '../src/cli/formats';
import { DEFAULT_CONFIG, resolveConfig } from '../src/engine/config';
import { ProjectFacts } from '../src/host/project-facts';
import { RULES } from '../src/rules/registry';
import { analyze as analyzeWith } from '../src/engine/run';
/** The engine with the whole rule catalogue unless a test names its rules. */
const analyze = (input: Parameters<typeof analyzeWith>[0], options: Partial<Parameters<typeof analyzeWith>[1]> = {}) => analyzeWith(input, { rules: RULES, ...options });
import { FILE_ROLES } from '../src/engine/types';
import { analyzeWorkspace } from '../src/workspace/analyze-workspace';
import { commandTargets } from '../src/workspace/entry-commands';
import { buildProjectModel } from '../src/workspace/project-model';
import { projectContextFor } from '../src/workspace/project-context-for';
import { readWorkspace, WORKSPACE_FIXTURES_DIR } from './support/workspace-fixtures';

const ROOT = path.join(WORKSPACE_FIXTURES_DIR, '_roles');
const TODAY = '2026-01-01';

interface RolesExpect {
  roles: Record<string, string>;
  present: Array<{ file: string; rule: string }>;
  absent: Array<{ file: string; rule?: string }>;
}

for (const name of fs.readdirSync(ROOT).sort()) {
  const dir = path.join(ROOT, name);
  const expect = JSON.parse(fs.readFileSync(path.join(dir, 'roles.json'), 'utf8')) as RolesExpect;
  const files = readWorkspace(dir).filter((f) => f.path !== 'roles.json');

  describe(`roles: ${name}`, () => {
    const workspace = analyzeWorkspace(files, { today: TODAY });
    const check = (where: string, findings: ReadonlyArray<{ path: string; ruleId: string; message: string; range: { start: { line: number } } }>) => {
      for (const p of expect.present) {
        assert.ok(findings.some((f) => f.path === p.file && f.ruleId === p.rule), `${where}: ${p.rule} must stay on ${p.file}`);
      }
      for (const a of expect.absent) {
        const wrong = findings.filter((f) => f.path === a.file && (!a.rule || f.ruleId === a.rule));
        assert.deepEqual(wrong.map((f) => `${f.ruleId}@${f.range.start.line + 1}: ${f.message}`), [], `${where}: ${a.file} must have no ${a.rule ?? ''} finding`);
      }
    };

    test('Analyze Workspace: roles from evidence, with reasons', () => {
      for (const [file, role] of Object.entries(expect.roles)) {
        const decided = workspace.model.roleOf(file);
        assert.equal(decided?.role, role, `${file}: ${decided?.reason}`);
        assert.ok(decided!.reason.length > 10, 'a human reason');
      }
      check('Analyze Workspace', workspace.findings);
    });

    test('the CLI and the editor host decide the same roles and findings', async () => {
      const run = await runAnalysis({ paths: [dir], cwd: dir, config: DEFAULT_CONFIG, factsRoot: dir, useGit: false, today: TODAY, jobs: 1 });
      const cliRoles = new Map(jsonFiles(run).map((f) => [f.file, f.role]));
      const editor = new ProjectFacts(dir, { useGit: false });
      for (const [file, role] of Object.entries(expect.roles)) {
        assert.equal(cliRoles.get(file), role, `CLI role of ${file}`);
        assert.equal(editor.roleFor(path.join(dir, file))?.role, role, `editor role of ${file}`);
      }
      check('CLI', run.files.flatMap((f) => f.findings.map((x) => ({ ...x, path: f.path }))));
    });
  });
}

describe('one project context', () => {
  test('exit-hook in a second file: handled for the CLI host, the editor host and Analyze Workspace alike', () => {
    const dir = path.join(ROOT, 'exit-hook-shutdown');
    const files = readWorkspace(dir).filter((f) => f.path !== 'roles.json');
    const fromModel = projectContextFor(buildProjectModel(files), 'src/server.ts');
    assert.equal(fromModel.packageHasShutdownHandler, true);
    assert.deepEqual(fromModel.shutdownHandlerFiles, ['src/shutdown.ts']);
    const fromHost = new ProjectFacts(dir, { useGit: false }).contextFor(path.join(dir, 'src/server.ts'));
    assert.equal(fromHost.packageHasShutdownHandler, true);
    assert.deepEqual(fromHost.shutdownHandlerFiles, [path.join(dir, 'src/shutdown.ts').replace(/\\/g, '/')]);
    assert.deepEqual(fromHost.nearestPackage?.json, fromModel.nearestPackage?.json, 'the same package facts');
  });
});

describe('roles setting', () => {
  test('"roles" globs override evidence; "appOnly" still works as its deprecated alias', () => {
    const dir = path.join(ROOT, 'server-look-alikes');
    const files = readWorkspace(dir).filter((f) => f.path !== 'roles.json');
    const overridden = analyzeWorkspace(files, { today: TODAY, config: resolveConfig({ roles: { script: ['tools/**'] } }) });
    assert.equal(overridden.model.roleOf('tools/pool.js')?.role, 'script');
    assert.match(overridden.model.roleOf('tools/pool.js')!.reason, /"roles" setting/);
    assert.ok(!overridden.findings.some((f) => f.path === 'tools/pool.js' && f.ruleId === 'logs/console-logging'));
    const alias = analyzeWorkspace(files, { today: TODAY, config: resolveConfig({ appOnly: { exclude: ['routes/**'] } }) });
    assert.equal(alias.model.roleOf('routes/index.js')?.role, 'script');
    assert.ok(!alias.findings.some((f) => f.path === 'routes/index.js' && f.ruleId === 'logs/console-logging'));
  });
});

describe('entry commands', () => {
  test('follow package scripts, wrappers and runner options to the script files', () => {
    const scripts = { start: 'npm run start:prod', 'start:prod': 'cross-env NODE_ENV=production node -r dotenv/config dist/main.js', dev: 'nodemon --watch src --exec ts-node src/index.ts' };
    assert.deepEqual(commandTargets('npm start', scripts).map((t) => t.file), ['dist/main.js']);
    assert.deepEqual(commandTargets('yarn start:prod', scripts).map((t) => [t.file, t.viaScript]), [['dist/main.js', 'start:prod']]);
    assert.deepEqual(commandTargets('sh -c "npx prisma migrate deploy && node server.js"').map((t) => t.file), ['server.js']);
    assert.deepEqual(commandTargets('concurrently "node api.js" "node worker.js"').map((t) => t.file), ['api.js', 'worker.js']);
    assert.deepEqual(commandTargets('pm2-runtime start ecosystem.config.js').map((t) => t.file), ['ecosystem.config.js']);
    assert.deepEqual(commandTargets('react-scripts start'), [], 'a tool, not a script file');
    assert.deepEqual(commandTargets('npm run missing', scripts), []);
  });
});

describe('rule roles', () => {
  test('every rule names known roles, never vendored; no rule keeps the old appOnly/skipTests flags', () => {
    for (const rule of RULES) {
      for (const role of rule.meta.roles ?? []) assert.ok(FILE_ROLES.includes(role) && role !== 'vendored', `${rule.meta.id}: ${role}`);
      assert.ok(!('appOnly' in rule.meta) && !('skipTests' in rule.meta), `${rule.meta.id}: declare roles instead`);
    }
  });

  test('the engine skips rules outside a file\'s role, and never parses vendored text', () => {
    const text = "console.log('hi');\n";
    const ids = (options: Parameters<typeof analyze>[1]) => analyze({ path: '/w/src/a.js', text }, options).findings.map((f) => f.ruleId);
    assert.ok(ids({ classify: { role: { role: 'server', reason: 'test' } } }).includes('logs/console-logging'));
    assert.ok(!ids({ classify: { role: { role: 'script', reason: 'test' } } }).includes('logs/console-logging'));
    const vendored = analyze({ path: '/w/public/app.js', text: `!function(){${'var a=1;'.repeat(1000)}}();\n` });
    assert.equal(vendored.skipped, 'vendored');
    assert.equal(vendored.parsed, undefined, 'not parsed');
    assert.equal(vendored.file?.role, 'vendored');
  });
});
