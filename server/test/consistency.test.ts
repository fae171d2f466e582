/**
 * One pipeline, one answer: the CLI, the language server's open documents and "Analyze
 * Workspace" (with the editor's report) must give the same findings (rule, file, range,
 * message) and the same number of files analysed, over every workspace fixture and every
 * service of the shared corpus (../shared/corpus/services, skipped with a message when it is
 * missing, unless CI is set).
 *
 * Disagreements owned by other work are listed in `KNOWN_DIVERGENCES`, each named and
 * explained; an entry that no longer diverges fails the test, so the list only shrinks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import { main } from '../src/cli';
import { classifyKind } from '../src/engine/classify';
import { walkFiles } from '../src/host/walk';
import { createEditorProjectProvider } from '../src/host/editor-project-provider';
import { AnalyzeWorkspaceRequest, ReportRequest, type AnalyzeWorkspaceResult, type ReportResult } from '../src/protocol';
import { TestClient, waitFor } from './support/lsp-client';

const FIXTURES = path.resolve(__dirname, '../../../server/test/fixtures/_workspace');
/** Workspaces made for this test (e.g. the exit-hook case of issue #11). */
const OWN_FIXTURES = path.resolve(__dirname, '../../../server/test/fixtures/_consistency');
const CORPUS_CANDIDATES = [
  path.resolve(__dirname, '../../../../shared/corpus/services'), // <clone>/out/server/test → <clone>/../shared
  path.resolve(__dirname, '../../../../../shared/corpus/services'), // a worktree one level deeper (/work/wt/<branch>)
];
const CORPUS = CORPUS_CANDIDATES.find((p) => fs.existsSync(p)) ?? CORPUS_CANDIDATES[0];

/** Where the three entry points may still disagree, and why; the integrator empties it. */
interface KnownDivergence {
  /** Workspace name (fixture path under _workspace, or corpus service folder). */
  workspace: string;
  /** The finding's rule. */
  rule: string;
  /** Its file, relative to the workspace. */
  file: string;
  why: string;
}

/**
 * Where the entry points may still disagree, each named and explained. Empty since the one
 * project context (file roles, shutdown, .gitignore answers) serves all three.
 */
const KNOWN_DIVERGENCES: readonly KnownDivergence[] = [];

interface View { findings: string[]; files: number }

const row = (file: string, l1: number, c1: number, l2: number, c2: number, rule: string, message: string) => `${file}:${l1}:${c1}-${l2}:${c2} ${rule} ${message}`;

/** The CLI as a user runs it in the workspace folder (`--format json`), in process. */
async function cliView(dir: string): Promise<View> {
  let out = '';
  let err = '';
  const code = await main(['.', '--format', 'json', '--fail-on', 'none', '--jobs', '1', '--no-git'], { cwd: dir, env: {}, stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, stdoutIsTTY: false });
  assert.equal(code, 0, err);
  const json = JSON.parse(out) as { findings: Array<{ file: string; line: number; column: number; endLine: number; endColumn: number; rule: string; message: string }>; summary: { filesAnalyzed: number } };
  return {
    findings: json.findings.map((f) => row(f.file, f.line, f.column, f.endLine, f.endColumn, f.rule, f.message)).sort(),
    files: json.summary.filesAnalyzed,
  };
}

function diagnosticRows(rel: string, diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => row(rel, d.range.start.line + 1, d.range.start.character + 1, d.range.end.line + 1, d.range.end.character + 1, String(d.code), typeof d.message === 'string' ? d.message : d.message.value));
}

const LANGUAGE_IDS: Record<string, string> = { ts: 'typescript', dockerfile: 'dockerfile', compose: 'dockercompose', dotenv: 'dotenv' };

/**
 * The editor, as `server.ts` wires it: "Analyze Workspace" first (diagnostics pushed for files
 * that are not open) and the report, then every file opened (its own diagnostics).
 */
async function editorViews(dir: string, cliFiles: readonly string[]): Promise<{ analyzeWorkspace: View; report: number; open: View }> {
  const folder = pathToFileURL(dir).href;
  const client = await TestClient.start({ folders: [folder], server: { workspaceIndex: true, project: (services) => createEditorProjectProvider(services) } });
  const relOf = (uri: string) => path.relative(dir, fileURLToPath(uri)).replace(/\\/g, '/');
  try {
    await waitFor('the index', () => client.statuses.find((s) => s.workspace && !s.workspace.indexing), 120_000);
    const result = await client.conn.sendRequest<AnalyzeWorkspaceResult>(AnalyzeWorkspaceRequest.method, {});
    const report = await client.conn.sendRequest<ReportResult | null>(ReportRequest.method, {});
    const pushed = new Map<string, Diagnostic[]>();
    for (const p of client.publishes) pushed.set(p.uri, p.diagnostics);
    const analyzeWorkspace: View = { findings: [...pushed].flatMap(([uri, d]) => diagnosticRows(relOf(uri), d)).sort(), files: result.files };

    // every analysable file, and every file the CLI shows findings for (scripts, manifests)
    const analysable = walkFiles([dir], { root: dir, maxFileSize: 2 * 1024 * 1024 }).map((abs) => path.relative(dir, abs).replace(/\\/g, '/'));
    const toOpen = [...new Set([...analysable, ...cliFiles])].sort();
    const opened = client.publishes.length;
    for (const rel of toOpen) {
      const uri = pathToFileURL(path.join(dir, rel)).href;
      await client.open(uri, LANGUAGE_IDS[classifyKind(rel)?.kind ?? ''] ?? 'plaintext', fs.readFileSync(path.join(dir, rel), 'utf8'));
    }
    // settled: every file answered (a publish, or an idle status for a file it does not analyse)
    await waitFor('diagnostics of every open file', () => toOpen.every((rel) => {
      const uri = pathToFileURL(path.join(dir, rel)).href;
      return client.publishes.slice(opened).some((p) => p.uri === uri) || client.statuses.some((s) => s.uri === uri && s.state === 'idle');
    }), 120_000);
    let count = -1;
    while (count !== client.publishes.length) { // quiet for longer than the index's debounce
      count = client.publishes.length;
      await new Promise((r) => setTimeout(r, 600));
    }
    const last = new Map<string, Diagnostic[]>();
    for (const p of client.publishes.slice(opened)) last.set(p.uri, p.diagnostics);
    const open: View = { findings: [...last].flatMap(([uri, d]) => diagnosticRows(relOf(uri), d)).sort(), files: result.files };
    return { analyzeWorkspace, report: report?.files ?? -1, open };
  } finally {
    await client.dispose();
  }
}

/** Findings in `a` and not in `b`, and the other way round. */
function difference(a: readonly string[], b: readonly string[]): { only: string[]; missing: string[] } {
  const inB = new Set(b);
  const inA = new Set(a);
  return { only: a.filter((x) => !inB.has(x)), missing: b.filter((x) => !inA.has(x)) };
}

function isKnown(workspace: string, line: string): KnownDivergence | undefined {
  return KNOWN_DIVERGENCES.find((k) => k.workspace === workspace && line.startsWith(`${k.file}:`) && line.includes(` ${k.rule} `));
}

async function checkWorkspace(name: string, dir: string, seen: Set<KnownDivergence>): Promise<string[]> {
  const cli = await cliView(dir);
  const cliFiles = [...new Set(cli.findings.map((f) => f.slice(0, f.indexOf(':'))))];
  const editor = await editorViews(dir, cliFiles);
  const problems: string[] = [];
  for (const [label, view] of [['open documents', editor.open], ['Analyze Workspace', editor.analyzeWorkspace]] as const) {
    const { only, missing } = difference(view.findings, cli.findings);
    for (const [kind, list] of [['only in ' + label, only], ['only in the CLI (vs ' + label + ')', missing]] as const) {
      for (const line of list) {
        const known = isKnown(name, line);
        if (known) seen.add(known);
        else problems.push(`${name}: ${kind}: ${line}`);
      }
    }
  }
  if (editor.analyzeWorkspace.files !== cli.files) problems.push(`${name}: files analysed: CLI ${cli.files}, Analyze Workspace ${editor.analyzeWorkspace.files}`);
  if (editor.report !== cli.files) problems.push(`${name}: files analysed: CLI ${cli.files}, the editor's report ${editor.report}`);
  return problems;
}

/** A fixture case copied without its test metadata (expect.json, __fixed__ goldens). */
function copyCase(src: string): string {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'factorlint-consistency-'));
  fs.cpSync(src, dest, { recursive: true, filter: (p) => !/(?:^|[\\/])(?:expect\.json|__fixed__)$/.test(p.slice(src.length)) });
  return dest;
}

function fixtureCases(): Array<{ name: string; dir: string }> {
  return fs.readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((rel) => path.basename(rel) === 'expect.json')
    .map((rel) => ({ name: path.dirname(rel).replace(/\\/g, '/'), dir: path.join(FIXTURES, path.dirname(rel)) }))
    .concat(fs.readdirSync(OWN_FIXTURES).map((name) => ({ name: `_consistency/${name}`, dir: path.join(OWN_FIXTURES, name) })))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function assertConsistent(problems: readonly string[], seen: ReadonlySet<KnownDivergence>, ran: ReadonlySet<string>): void {
  const stale = KNOWN_DIVERGENCES.filter((k) => ran.has(k.workspace) && !seen.has(k)).map((k) => `${k.workspace}: known divergence no longer seen, remove it: ${k.rule} in ${k.file}`);
  assert.deepEqual([...problems, ...stale], [], 'the CLI, open documents and Analyze Workspace disagree');
}

test('consistency: CLI, open documents and Analyze Workspace agree on every workspace fixture', async (t) => {
  const problems: string[] = [];
  const seen = new Set<KnownDivergence>();
  const ran = new Set<string>();
  for (const { name, dir } of fixtureCases()) {
    const copy = copyCase(dir);
    try {
      problems.push(...await checkWorkspace(name, copy, seen));
      ran.add(name);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }
  for (const k of seen) t.diagnostic(`known divergence (${k.workspace}, ${k.rule} in ${k.file}): ${k.why}`);
  assertConsistent(problems, seen, ran);
});

test('consistency: CLI, open documents and Analyze Workspace agree on every corpus service', async (t) => {
  if (!fs.existsSync(CORPUS)) {
    if (process.env.CI) assert.fail(`the corpus is missing at ${CORPUS}`);
    t.skip(`the corpus is missing at ${CORPUS}: consistency on real services NOT checked`);
    return;
  }
  const problems: string[] = [];
  const seen = new Set<KnownDivergence>();
  const ran = new Set<string>();
  for (const name of fs.readdirSync(CORPUS).filter((n) => fs.statSync(path.join(CORPUS, n)).isDirectory()).sort()) {
    problems.push(...await checkWorkspace(name, path.join(CORPUS, name), seen));
    ran.add(name);
  }
  for (const k of seen) t.diagnostic(`known divergence (${k.workspace}, ${k.rule} in ${k.file}): ${k.why}`);
  assertConsistent(problems, seen, ran);
});
