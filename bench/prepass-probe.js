'use strict';
/**
 * Preloaded (`node -r`) into bench/scan-child.js by bench/prepass-cost.js, to measure what two
 * parts of the CLI's cold run cost in the whole run rather than in isolation (wave 4 measured
 * a cheaper import scan in isolation and it gained nothing in whole runs: TypeScript's
 * scanner then warmed up in the parse instead):
 * - PREPROCESS_RECORD=<file>: records the role pre-pass's `ts.preProcessFile` answers (the
 *   imported specifiers, by a hash of the text) and writes them at exit;
 * - PREPROCESS_REPLAY=<file>: answers `ts.preProcessFile` from that recording (a text not
 *   recorded is scanned as usual), so the run pays for everything but the pre-pass's scans;
 * - SCAN_RULES=none: the rule registry is emptied, so the run pays for no file rule.
 * Only `importedFiles[].fileName` is kept: it is all `workspace/file-hints.ts` reads.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const record = process.env.PREPROCESS_RECORD;
const replay = process.env.PREPROCESS_REPLAY;

if (record || replay) {
  const id = require.resolve('typescript', { paths: [ROOT] });
  const ts = require(id);
  const key = (text) => crypto.createHash('sha1').update(text).digest('base64');
  const answers = new Map(replay ? JSON.parse(fs.readFileSync(replay, 'utf8')) : []);
  // the module's exports are getters without setters: a child object with its own preProcessFile takes its place
  const probe = Object.create(ts);
  Object.defineProperty(probe, 'preProcessFile', {
    value(text, readImportFiles, detectJavaScriptImports) {
      if (replay) {
        const known = answers.get(key(text));
        if (known) return { referencedFiles: [], typeReferenceDirectives: [], libReferenceDirectives: [], importedFiles: known.map((fileName) => ({ fileName, pos: 0, end: 0 })), isLibFile: false, ambientExternalModules: undefined };
      }
      const info = ts.preProcessFile(text, readImportFiles, detectJavaScriptImports);
      if (record) answers.set(key(text), info.importedFiles.map((f) => f.fileName));
      return info;
    },
  });
  require.cache[id].exports = probe;
  if (record) process.on('exit', () => fs.writeFileSync(record, JSON.stringify([...answers])));
}

if (process.env.SCAN_RULES === 'none') require(path.join(ROOT, 'out', 'server', 'src', 'rules', 'registry.js')).RULES.length = 0;
