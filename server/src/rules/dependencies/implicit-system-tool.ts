import type * as TS from 'typescript';
import type { Rule, RuleContext } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import { constInitializer, unwrap } from '../support/ts-helpers';
import { resolveCallee, type ResolvedCallee } from '../support/module-imports';
import { programArgv } from '../../engine/command-model';
import { basename as programName, shellCommands } from '../../parse/shell';

/** System binaries an app cannot assume: not part of Node, rarely in slim/distroless images. */
const SYSTEM_TOOLS = new Set([
  'curl', 'wget', 'convert', 'magick', 'identify', 'mogrify', 'composite', 'ffmpeg', 'ffprobe', 'git', 'psql', 'pg_dump', 'pg_restore',
  'pg_dumpall', 'mysql', 'mysqldump', 'mongodump', 'mongorestore', 'mongosh', 'redis-cli', 'sqlite3', 'gs', 'ghostscript', 'pdftk', 'qpdf',
  'pdftotext', 'pdftoppm', 'pdfinfo', 'wkhtmltopdf', 'wkhtmltoimage', 'libreoffice', 'soffice', 'pandoc', 'tesseract', 'exiftool',
  'zip', 'unzip', '7z', 'tar', 'gzip', 'gunzip', 'bzip2', 'xz', 'openssl', 'ssh', 'scp', 'rsync', 'sftp', 'docker', 'kubectl', 'helm',
  'aws', 'gcloud', 'gsutil', 'az', 'terraform', 'python', 'python3', 'java', 'php', 'ruby', 'perl', 'chromium', 'chromium-browser',
  'google-chrome', 'lp', 'lpr', 'sendmail', 'dig', 'nslookup', 'ping', 'traceroute', 'nmap', 'jq', 'yq', 'sox', 'lame', 'vips', 'optipng',
  'jpegoptim', 'pngquant', 'gifsicle', 'cwebp', 'dwebp', 'rclone', 'clamscan', 'clamdscan', 'ldapsearch', 'smbclient', 'gpg',
]);
const SHELL_FUNCTIONS = new Set(['exec', 'execSync']);
const FILE_FUNCTIONS = new Set(['execFile', 'execFileSync', 'spawn', 'spawnSync']);
const EXECA_FILE = new Set(['default', 'execa', 'execaSync', 'execaNode']);
const EXECA_SHELL = new Set(['execaCommand', 'execaCommandSync']);

type Form = 'shell' | 'file';

/** How a callee runs a command: a shell line (`exec`) or a program with arguments (`spawn`). */
function formOf(ctx: RuleContext<ParsedTs>, callee: TS.Expression, depth = 0): Form | undefined {
  const { ts } = ctx.parsed;
  const resolved: ResolvedCallee | undefined = resolveCallee(ctx.parsed, callee);
  if (resolved?.module === 'child_process') return SHELL_FUNCTIONS.has(resolved.member) ? 'shell' : FILE_FUNCTIONS.has(resolved.member) ? 'file' : undefined;
  if (resolved?.module === 'execa') return EXECA_SHELL.has(resolved.member) ? 'shell' : EXECA_FILE.has(resolved.member) ? 'file' : undefined;
  // const run = promisify(exec) / util.promisify(cp.execFile)
  if (ts.isIdentifier(callee) && depth < 2) {
    const init = constInitializer(ts, callee.text, callee);
    const e = init && unwrap(ts, init);
    if (e && ts.isCallExpression(e) && e.arguments.length === 1) {
      const fn = e.expression;
      const name = ts.isIdentifier(fn) ? fn.text : ts.isPropertyAccessExpression(fn) ? fn.name.text : '';
      if (name === 'promisify') return formOf(ctx, e.arguments[0], depth + 1);
    }
  }
  return undefined;
}

function textOf(ts: typeof TS, node: TS.Expression | undefined, depth = 0): string | undefined {
  if (!node || depth > 3) return undefined;
  const e = unwrap(ts, node);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isTemplateExpression(e)) return e.head.text;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return textOf(ts, e.left, depth + 1);
  if (ts.isIdentifier(e)) {
    const init = constInitializer(ts, e.text, e);
    return init ? textOf(ts, init, depth + 1) : undefined;
  }
  return undefined;
}

function toolsIn(form: Form, text: string): string[] {
  if (form === 'file') {
    const name = programName(text.trim());
    return SYSTEM_TOOLS.has(name) ? [name] : [];
  }
  const found: string[] = [];
  for (const command of shellCommands(text)) {
    const words = programArgv(command);
    const word = words[0]?.value === 'nohup' ? words[1] : words[0];
    const name = word ? programName(word.value) : '';
    if (SYSTEM_TOOLS.has(name) && !found.includes(name)) found.push(name);
  }
  return found;
}

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts, sourceFile } = ctx.parsed;
  // Cheap pre-filter: commands only run through child_process or execa, which must be imported by name.
  if (!ctx.text.includes('child_process') && !ctx.text.includes('execa')) return;
  for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
    const form = formOf(ctx, call.expression);
    if (!form) continue;
    const first = call.arguments[0];
    const text = textOf(ts, first);
    if (text === undefined) continue;
    const tools = toolsIn(form, text);
    if (tools.length === 0) continue;
    ctx.report({
      messageId: tools.length === 1 ? 'one' : 'many',
      data: { tools: tools.join(', '), tool: tools[0] },
      start: first.getStart(sourceFile),
      end: first.end,
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'dependencies/implicit-system-tool',
    factor: 'dependencies',
    severity: 'info',
    description: 'Application code shells out to a system binary (curl, ffmpeg, ImageMagick, git, psql…) that no manifest declares.',
    rationale: 'A twelve-factor app declares all its dependencies and never relies on the implicit existence of system-wide tools (factor II). A binary the code runs but no package.json lists works on a developer laptop and fails in a slim image or on another platform; if the tool is truly needed, install it explicitly in the Dockerfile (or use a library).',
    messages: {
      one: 'The app runs the system tool "{{tool}}", which package.json cannot declare: install it explicitly in the image (Dockerfile RUN apt-get/apk) or use a Node library instead.',
      many: 'The app runs the system tools {{tools}}, which package.json cannot declare: install them explicitly in the image (Dockerfile RUN apt-get/apk) or use Node libraries instead.',
    },
    fix: 'none',
    roles: ['server'],
  },
  check: { ts: checkTs },
};

export default rule;
