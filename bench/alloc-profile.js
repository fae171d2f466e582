'use strict';
/**
 * What the language server allocates per edit (issue 15): the tsc-built server of a tree (or the
 * incremental floor, FLOOR=1) over LSP on bench/latency.js' 5k-line file, line-start edits, debounce
 * 0; after `warm` edits, the inspector's sampling heap profiler over `n` edits (bench/alloc-probe.js,
 * preloaded in the server), and the server's GC count and time per edit.
 *
 *   node bench/alloc-profile.js <tree> [warm=40] [n=100]
 *
 * Prints KB per edit by file and by function (self), STACKS=<k> the k heaviest stacks. PROMOTED=1:
 * only objects that outlived a scavenge (what makes a scavenge cost); LIVE=1: only those still
 * alive at the end; NOSAMPLE=1: GC numbers alone (no profiler in the way).
 */
const fs = require('node:fs'); const path = require('node:path');
const lat = require('./latency.js');
const tree = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const warm = Number(process.argv[3] || 40), n = Number(process.argv[4] || 100);
const out = path.join(require('node:os').tmpdir(), `factorlint-alloc-${process.pid}.json`);
const file = { name: 'service-5k.ts', languageId: 'typescript', text: lat.bigTs(5000) };
const waitFile = async (f) => { for (let i = 0; i < 600 && !fs.existsSync(f); i++) await new Promise((r) => setTimeout(r, 50)); };
(async () => {
  const server = process.env.FLOOR ? path.join(__dirname, 'floor-server.js') : path.join(tree, 'out/server/src/server.js');
  process.env.HEAP_OUT = out;
  const lsp = await lat.connect(server, { factorlint: { debounceMs: 0 } }, ['-r', path.join(__dirname, 'alloc-probe.js')]);
  const uri = lsp.uriOf(file);
  await lsp.open(file);
  const pos = lat.editPositions(file, file.text.split('\n'));
  let v = 2;
  for (; v < warm + 2; v++) await lsp.change(uri, v, pos(v));
  lsp.child.kill('SIGUSR2'); await waitFile(out + '.started');
  for (; v < warm + n + 2; v++) await lsp.change(uri, v, pos(v));
  lsp.child.kill('SIGUSR2'); await waitFile(out); await new Promise((r) => setTimeout(r, 500));
  const p = JSON.parse(fs.readFileSync(out));
  lsp.close();
  const gc = JSON.parse(fs.readFileSync(out + '.gc')); console.log('gc per edit', Object.entries(gc).map(([k, g]) => `${k} ${(g.n / n).toFixed(2)}× ${(g.ms / n).toFixed(2)} ms`).join(', '));
  report(p, n, tree);
})();
function report(p, n, tree) {
  const self = new Map(); const byUrl = new Map(); let total = 0;
  const stacks = new Map();
  (function walk(node, stack) {
    const cf = node.callFrame;
    const k = `${cf.functionName || '(anon)'} ${path.basename(cf.url)}:${cf.lineNumber}`;
    const st = [...stack, k];
    const bytes = node.selfSize;
    if (bytes) {
      total += bytes;
      self.set(k, (self.get(k) || 0) + bytes);
      const u = path.basename(cf.url) || cf.functionName; byUrl.set(u, (byUrl.get(u) || 0) + bytes);
      const sk = st.slice(-5).join(' < ');
      stacks.set(sk, (stacks.get(sk) || 0) + bytes);
    }
    for (const c of node.children) walk(c, st);
  })(p.head, []);
  const kb = (b) => (b / 1024 / n).toFixed(1);
  console.log(`total ${kb(total)} KB/edit over ${n} edits`);
  console.log([...byUrl].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${kb(v)} ${k}`).join('\n'));
  console.log('-- self');
  console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${kb(v)} ${k}`).join('\n'));
  if (process.env.STACKS) { console.log('-- stacks'); console.log([...stacks].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.STACKS)).map(([k, v]) => `${kb(v)} ${k.split(' < ').reverse().join(' < ')}`).join('\n')); }
}
