/** Parse errors of a text in the language its path implies: fixes must leave files parseable. */
import { parseAllDocuments } from 'yaml';
import { DockerfileParser } from 'dockerfile-ast';
import { classifyKind } from '../../src/engine/classify';
import { loadTypescript } from '../../src/parse/typescript';

export function parseErrors(path: string, text: string): string[] {
  const kind = classifyKind(path);
  if (!kind) return [];
  switch (kind.kind) {
    case 'ts': {
      const ts = loadTypescript();
      const scriptKind = { ts: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX, js: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX }[kind.scriptKind ?? 'ts'];
      const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind);
      const diags = (sf as unknown as { parseDiagnostics: Array<{ messageText: unknown; start: number }> }).parseDiagnostics;
      return diags.map((d) => `${d.start}: ${typeof d.messageText === 'string' ? d.messageText : JSON.stringify(d.messageText)}`);
    }
    case 'compose': {
      const docs = parseAllDocuments(text, { uniqueKeys: false });
      return (Array.isArray(docs) ? docs : [docs]).flatMap((d) => d.errors.map((e) => e.message));
    }
    case 'dockerfile': {
      // dockerfile-ast is lenient; assert at least that every instruction keyword is known
      const df = DockerfileParser.parse(text);
      const known = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
      return df.getInstructions().filter((i) => !known.has(i.getKeyword())).map((i) => `unknown instruction ${i.getKeyword()} on line ${i.getRange().start.line + 1}`);
    }
    case 'dotenv':
      return [];
  }
}
