/**
 * Work for when the editor is idle (issue 15, first keystrokes): `IdleWork` runs its jobs only
 * after a quiet time with nothing a user waits for running, one at a time, and tells a running
 * job when something happened; the Analyzer's `prepareEdits` builds, in that time, what an
 * opened document's first keystroke would build (the rules' per-statement parts), with the same
 * findings, and gives up between rules when told to; and the server queues both (the
 * document's preparation, and in a session without a folder the edit path's warm-up).
 */
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { IdleWork } from '../src/features/idle-work';
import { Analyzer, EMPTY_PROJECT_PROVIDER, pathForUri } from '../src/features/analysis';
import { DEFAULT_SETTINGS, type DocumentConfig } from '../src/features/settings';
import { DEFAULT_CONFIG } from '../src/engine/config';
import { analyze } from '../src/engine/run';
import { statementMemoPaths, statementMemoStats, statementMemoUnbuilt } from '../src/engine/statement-memo';
import { tsParseCount } from '../src/parse/typescript';
import { RULES } from '../src/rules/registry';
import { TestClient, waitFor } from './support/lsp-client';
import { DiagnosticsFeature, type DiagnosticsDeps } from '../src/features/diagnostics';
import { serviceText } from './support/service-text';

/** An IdleWork on a clock the test moves, with setTimeout mocked to the same clock. */
function idleWorkOnAClock(idleMs: number, busy = () => false) {
  mock.timers.enable({ apis: ['setTimeout'] });
  let clock = 0;
  const errors: string[] = [];
  const work = new IdleWork({ idleMs, busy, now: () => clock, onError: (key) => { errors.push(key); } });
  const ran: string[] = [];
  return {
    work, ran, errors,
    job: (name: string) => () => { ran.push(name); },
    /** Moves the clock and lets the jobs' promises settle. */
    async tick(ms: number) {
      clock += ms;
      mock.timers.tick(ms);
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    },
    done() { work.dispose(); mock.timers.reset(); },
  };
}

test('an idle job waits until nothing happened for the idle time', async () => {
  const t = idleWorkOnAClock(400);
  try {
    t.work.add('a', t.job('a'));
    await t.tick(300);
    assert.deepEqual(t.ran, []);
    t.work.activity(); // a keystroke at 300
    await t.tick(300); // 600: only 300 quiet
    assert.deepEqual(t.ran, []);
    await t.tick(100); // 700: 400 quiet
    assert.deepEqual(t.ran, ['a']);
  } finally {
    t.done();
  }
});

test('idle jobs wait while an analysis runs, go one per turn in order (a document\'s preparation first), and a job added again replaces its earlier self', async () => {
  let busy = true;
  const t = idleWorkOnAClock(100, () => busy);
  try {
    t.work.add('warm-up 0', t.job('warm-up 0'));
    t.work.add('warm-up 1', t.job('warm-up 1'));
    t.work.add('doc', t.job('doc (first)'));
    t.work.add('doc', t.job('doc'), true);
    await t.tick(500);
    assert.deepEqual(t.ran, [], 'busy: nothing runs');
    busy = false;
    await t.tick(100);
    assert.deepEqual(t.ran, ['doc']);
    await t.tick(0);
    assert.deepEqual(t.ran, ['doc', 'warm-up 0']);
    t.work.activity(); // a keystroke between two jobs: the next one waits for quiet again
    await t.tick(50);
    assert.deepEqual(t.ran, ['doc', 'warm-up 0']);
    await t.tick(50);
    assert.deepEqual(t.ran, ['doc', 'warm-up 0', 'warm-up 1']);
    assert.deepEqual(t.work.pending(), []);
  } finally {
    t.done();
  }
});

test('a job is told when something happened since it started, so that it can stop', async () => {
  const t = idleWorkOnAClock(10);
  try {
    const seen: boolean[] = [];
    let release!: () => void;
    t.work.add('long', async (interrupted) => {
      seen.push(interrupted());
      await new Promise<void>((resolve) => { release = resolve; });
      seen.push(interrupted());
    });
    await t.tick(10);
    t.work.activity(); // a keystroke while the job waits
    release();
    await t.tick(0);
    assert.deepEqual(seen, [false, true]);
  } finally {
    t.done();
  }
});

test('a job that throws is reported and the next one still runs; removed and disposed jobs never run', async () => {
  const t = idleWorkOnAClock(10);
  try {
    t.work.add('bad', () => { throw new Error('boom'); });
    t.work.add('gone', t.job('gone'));
    t.work.add('good', t.job('good'));
    t.work.remove('gone');
    await t.tick(10);
    await t.tick(0);
    assert.deepEqual(t.errors, ['bad']);
    assert.deepEqual(t.ran, ['good']);
    t.work.add('late', t.job('late'));
    t.work.dispose();
    t.work.add('after', t.job('after'));
    await t.tick(100);
    assert.deepEqual(t.ran, ['good']);
  } finally {
    t.done();
  }
});

const CFG: DocumentConfig = { settings: DEFAULT_SETTINGS, config: DEFAULT_CONFIG, folderUri: 'file:///idle/', relativePath: 'src/service.ts' };
const URI = 'file:///idle/src/service.ts';
const findingsOf = (result: { findings: ReadonlyArray<{ ruleId: string; range: unknown; message: string }> }) => result.findings.map((f) => `${f.ruleId} ${JSON.stringify(f.range)} ${f.message}`);

test('prepareEdits builds what the first keystroke would, with the same findings, once, and only for the version it was analysed at', async () => {
  const analyzer = new Analyzer({ project: EMPTY_PROJECT_PROVIDER, onRuleError: (id) => { throw new Error(`${id} threw`); } });
  const text = serviceText(40);
  const v1 = TextDocument.create(URI, 'typescript', 1, text);
  const opened = analyzer.analyzeDocument(v1, CFG, 0);
  const filePath = pathForUri(URI, 'typescript');
  assert.ok(statementMemoUnbuilt(filePath), 'an open leaves the parts to the first edit');
  assert.equal(await analyzer.prepareEdits(v1, CFG, 1), false, 'not for other settings than the analysis\'');

  const parses = { ...tsParseCount };
  const stats = { ...statementMemoStats };
  assert.equal(await analyzer.prepareEdits(v1, CFG, 0), true);
  assert.deepEqual({ full: tsParseCount.full - parses.full, incremental: tsParseCount.incremental - parses.incremental }, { full: 0, incremental: 1 }, 'the open\'s tree, not a new parse');
  assert.equal(statementMemoStats.wholeRuns, stats.wholeRuns, 'no rule ran whole again');
  assert.equal(statementMemoStats.checked, stats.checked, 'no statement was checked again');
  assert.ok(!statementMemoUnbuilt(filePath), 'the parts are built');
  const prepared = analyzer.peek(URI)!;
  assert.equal(prepared.version, 1);
  assert.deepEqual(findingsOf(prepared.result), findingsOf(opened.result));
  assert.equal(await analyzer.prepareEdits(v1, CFG, 0), false, 'once');

  // the first keystroke now checks only the statement it made, and equals a cold analysis
  const at = text.indexOf('export async function handler20(');
  const v2 = TextDocument.create(URI, 'typescript', 2, `${text.slice(0, at)} ${text.slice(at)}`);
  const before = { ...statementMemoStats };
  const edited = analyzer.analyzeDocument(v2, CFG, 0);
  assert.equal(statementMemoStats.wholeRuns, before.wholeRuns);
  assert.ok(statementMemoStats.kept > before.kept);
  const cold = analyze({ path: filePath, text: v2.getText(), languageId: 'typescript' }, { rules: RULES, config: DEFAULT_CONFIG, classify: { relativePath: CFG.relativePath } });
  assert.deepEqual(findingsOf(edited.result), findingsOf(cold));

  // a version not analysed yet, a Dockerfile, a closed document: nothing to prepare
  const v3 = TextDocument.create(URI, 'typescript', 3, `${v2.getText()}\n`);
  assert.equal(await analyzer.prepareEdits(v3, CFG, 0), false);
  const dockerfile = TextDocument.create('file:///idle/Dockerfile', 'dockerfile', 1, 'FROM node:20\nCMD node server.js\n');
  analyzer.analyzeDocument(dockerfile, { ...CFG, relativePath: 'Dockerfile' }, 0);
  assert.equal(await analyzer.prepareEdits(dockerfile, { ...CFG, relativePath: 'Dockerfile' }, 0), false);
  analyzer.forget(URI);
  assert.equal(await analyzer.prepareEdits(v2, CFG, 0), false);
  assert.ok(!statementMemoPaths().includes(filePath));
});

test('a preparation a keystroke interrupts gives up between rules, and the edits after it are still exact', async () => {
  const analyzer = new Analyzer({ project: EMPTY_PROJECT_PROVIDER, onRuleError: (id) => { throw new Error(`${id} threw`); } });
  const text = serviceText(40);
  const filePath = pathForUri(URI, 'typescript');
  analyzer.analyzeDocument(TextDocument.create(URI, 'typescript', 1, text), CFG, 0);
  let asked = 0;
  // cancelled after the parse and a few rules: some rules keep their parts, the others do not
  assert.equal(await analyzer.prepareEdits(TextDocument.create(URI, 'typescript', 1, text), CFG, 0, () => ++asked > 6), false);
  assert.ok(asked > 6, 'asked between the steps');
  assert.ok(statementMemoUnbuilt(filePath), 'parts left to build');
  let current = text;
  for (const [version, at] of [[2, 'export async function handler20('], [3, 'export async function handler5('], [4, "const password"]] as const) {
    const offset = current.indexOf(at);
    current = `${current.slice(0, offset)}${version % 2 ? '/' : ' '}${current.slice(offset)}`;
    const edited = analyzer.analyzeDocument(TextDocument.create(URI, 'typescript', version, current), CFG, 0);
    const cold = analyze({ path: filePath, text: current, languageId: 'typescript' }, { rules: RULES, config: DEFAULT_CONFIG, classify: { relativePath: CFG.relativePath } });
    assert.deepEqual(findingsOf(edited.result), findingsOf(cold), `version ${version}`);
  }
  analyzer.forget(URI);
});

test('the server prepares an opened document\'s first keystroke when the editor is idle, and warms the edit path up beside it without a folder, publishing nothing more', async () => {
  const client = await TestClient.start({ folders: [], server: { idleMs: 50, workspaceIndex: { warmUp: () => undefined } } });
  const uri = 'file:///idle-session/src/service.ts';
  const filePath = pathForUri(uri, 'typescript');
  try {
    const incremental = tsParseCount.incremental;
    await client.open(uri, 'typescript', serviceText(30));
    await waitFor('the open\'s diagnostics', () => client.lastPublish(uri, 1));
    // the document's preparation (one reparse of its own tree), then the warm-up's 20 keystrokes
    await waitFor('the idle work', () => !statementMemoUnbuilt(filePath) && tsParseCount.incremental - incremental >= 21 && statementMemoPaths().every((p) => !p.includes('factorlint-warm-up')));
    assert.equal(client.publishes.filter((p) => p.uri === uri).length, 1, 'idle work publishes nothing');
    assert.ok(client.publishes.every((p) => p.uri === uri), 'nor anything of the warm-up\'s sample');
    // and the first keystroke's diagnostics are those of its text
    const version = await client.change(uri, client.text(uri).replace('const BASE', ' const BASE'));
    const published = await waitFor('the keystroke\'s diagnostics', () => client.lastPublish(uri, version));
    assert.equal(published.diagnostics.length, client.lastPublish(uri, 1)!.diagnostics.length);
  } finally {
    await client.dispose();
  }
});

test('a preparation never replaces an analysis made while it ran (other settings)', async () => {
  const analyzer = new Analyzer({ project: EMPTY_PROJECT_PROVIDER, onRuleError: (id) => { throw new Error(`${id} threw`); } });
  const doc = TextDocument.create(URI, 'typescript', 1, serviceText(20));
  analyzer.analyzeDocument(doc, CFG, 0);
  let asked = 0;
  const prepared = await analyzer.prepareEdits(doc, CFG, 0, () => {
    if (++asked === 4) analyzer.analyzeDocument(doc, CFG, 1); // new settings, analysed between two of its rules
    return false;
  });
  assert.equal(prepared, false);
  assert.equal(analyzer.peek(URI)!.generation, 1);
  analyzer.forget(URI);
});

test('a document\'s preparation that something interrupted is tried again in the next idle time, until the Analyzer has nothing left to build', async () => {
  const t = idleWorkOnAClock(100, () => feature.busy());
  const doc = TextDocument.create(URI, 'typescript', 1, serviceText(2));
  const prepared: boolean[] = [];
  const analyzer = {
    analyzeDocumentAsync: async () => ({ uri: URI, version: 1, generation: 0, projectStamp: 0, result: { findings: [] } }),
    // the first attempt is interrupted (something happens while it runs), the second builds everything, a third would find nothing
    prepareEdits: async (_doc: unknown, _cfg: unknown, _generation: number, isCancelled: () => boolean) => {
      if (prepared.length === 0) t.work.activity();
      const done = !isCancelled() && !prepared.includes(true);
      prepared.push(done);
      return done;
    },
    forget: () => undefined,
  };
  const settings = { settings: { ...DEFAULT_SETTINGS, debounceMs: 0 }, config: DEFAULT_CONFIG };
  const deps = {
    connection: { sendDiagnostics: async () => undefined, sendNotification: async () => undefined },
    documents: { get: (uri: string) => (uri === URI ? doc : undefined), all: () => [doc] },
    settings: { configFor: async () => settings, settingsFor: async () => settings.settings, generation: 0, forget: () => undefined },
    analyzer, pull: false, refreshSupport: false, log: () => undefined, idle: t.work,
  } as unknown as DiagnosticsDeps;
  const feature = new DiagnosticsFeature(deps);
  try {
    feature.onOpen(doc);
    await t.tick(0); // the open's analysis and publish
    assert.deepEqual(t.work.pending(), [URI]);
    await t.tick(100);
    assert.deepEqual(prepared, [false], 'interrupted');
    assert.deepEqual(t.work.pending(), [URI], 'queued again');
    await t.tick(100);
    assert.deepEqual(prepared, [false, true]);
    await t.tick(1000);
    assert.deepEqual(prepared, [false, true], 'not again once done');
    assert.deepEqual(t.work.pending(), []);
  } finally {
    feature.dispose();
    t.done();
  }
});
