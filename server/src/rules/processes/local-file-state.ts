import type * as TS from 'typescript';
import type { Rule, RuleContext, StatementwiseCheck } from '../../engine/types';
import { statementwiseTs } from '../../engine/statement-memo';
import type { ParsedTs } from '../../parse/typescript';
import { importBindingsKey, importsAny, namedModules, namesAny, originOf } from '../support/module-imports';
import type { ProjectContext } from '../../engine/project-context';
import { assignedNames, joinedParts, sameSet, topLevelVariableTexts, unionOfParts } from '../support/statement-facts';
import { constInitializer, nameOf, stringValue, unwrap } from '../support/ts-helpers';
import { isLogPath } from '../support/file-paths';
import { deploymentPersistsDirectory, isConfiguredLocation } from '../support/configured-location';

const FS_MODULES = new Set(['fs', 'fs/promises', 'fs-extra', 'graceful-fs', 'mz/fs']);
const WRITES = new Set([
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream',
  'outputFile', 'outputFileSync', 'outputJson', 'outputJsonSync', 'outputJSON', 'outputJSONSync',
  'writeJson', 'writeJsonSync', 'writeJSON', 'writeJSONSync',
]);
const MKDIRS = new Set(['mkdir', 'mkdirSync', 'mkdirp', 'mkdirpSync', 'mkdirs', 'mkdirsSync', 'ensureDir', 'ensureDirSync']);
/** Folder names that hold the app's data (as opposed to build output or caches of tools). */
const DATA_DIR = /(?:^|[^a-z])(?:uploads?|data|storage|files|sessions?|db|database|attachments?|media|avatars?|images|documents|store)(?:[^a-z]|$)/i;
const TEMP_CALLS = new Set(['tmpdir', 'mkdtemp', 'mkdtempSync', 'tmpNameSync', 'dirSync', 'fileSync']);
const SPECIAL_FILES = /^(?:\/tmp(?:\/|$)|\/dev\/|\/proc\/self\/fd\/|\\\\\.\\pipe\\)/;

/**
 * True when a path expression lands in a temporary folder or a special file: `os.tmpdir()`
 * anywhere in it (also through a `const`), `mkdtemp()` results, `/tmp/…`, `/dev/stdout`.
 */
function isTempOrSpecial(ts: typeof TS, node: TS.Node, depth = 0): boolean {
  if (depth > 3) return false;
  const value = stringValue(ts, node);
  if (value !== undefined) return SPECIAL_FILES.test(value);
  if (ts.isTemplateExpression(node) && SPECIAL_FILES.test(node.head.text)) return true;
  if (ts.isNumericLiteral(node)) return true; // a file descriptor
  if (ts.isCallExpression(node)) {
    const callee = unwrap(ts, node.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name && TEMP_CALLS.has(name)) return true;
  }
  if (ts.isIdentifier(node)) {
    if (/^(?:tmp|temp)(?:dir|Dir|Path|path|_?DIR)?$|^TMP(?:DIR)?$/i.test(node.text)) return true;
    const init = constInitializer(ts, node.text, node);
    return !!init && isTempOrSpecial(ts, init, depth + 1);
  }
  if (ts.isPropertyAccessExpression(node) && /^(?:fd|tmpdir)$/.test(node.name.text)) return true; // process.stdout.fd
  return ts.forEachChild(node, (child) => (isTempOrSpecial(ts, child, depth) ? true : undefined)) ?? false;
}

/**
 * A deliberate, persisted data directory: the path is rooted in a location the deployment
 * configures (env var, CLI option, a directory setting) and the package's own Dockerfile or
 * Compose file keeps a volume. Both, or it is local state like any other write.
 */
function isPersistedDataDirectory(ctx: FileStateContext, node: TS.Expression): boolean {
  return isConfiguredLocation(ctx.parsed.ts, node) && ctx.summary().persisted;
}

/** `.pid` files belong to concurrency/daemonize. */
function isPidFile(ts: typeof TS, node: TS.Expression): boolean {
  const value = stringValue(ts, unwrap(ts, node));
  return value !== undefined && /\.pid$/i.test(value);
}

function checkFs(ctx: FileStateContext, call: TS.CallExpression): void {
  const { ts, sourceFile } = ctx.parsed;
  const origin = originOf(ctx.parsed, call.expression);
  if (!origin || !FS_MODULES.has(origin.module)) return;
  const fn = origin.path.at(-1);
  if (!fn || (origin.path.length > 1 && origin.path[0] !== 'promises')) return;
  const target = call.arguments[0];
  if (!target || isTempOrSpecial(ts, target) || isPidFile(ts, target) || isPersistedDataDirectory(ctx, target)) return;
  if (WRITES.has(fn)) {
    if (fn === 'createWriteStream' && isLogPath(ts, target)) return; // logs/file-logging's finding
    ctx.report({ messageId: 'write', data: { fn }, start: call.getStart(sourceFile), end: call.end });
  } else if (MKDIRS.has(fn) && DATA_DIR.test(target.getText(sourceFile))) {
    ctx.report({ messageId: 'mkdir', data: { fn }, start: call.getStart(sourceFile), end: call.end });
  }
}

function optionsObject(ts: typeof TS, node: TS.Expression | undefined): TS.ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const e = unwrap(ts, node);
  return ts.isObjectLiteralExpression(e) ? e : undefined;
}

function property(ts: typeof TS, object: TS.ObjectLiteralExpression | undefined, name: string): TS.PropertyAssignment | undefined {
  return object?.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && nameOf(ts, p.name) === name);
}

/** multer({ dest }), multer.diskStorage({ destination }), formidable({ uploadDir }), new IncomingForm({ uploadDir }). */
function checkUploads(ctx: FileStateContext, call: TS.CallExpression | TS.NewExpression): void {
  const { ts, sourceFile } = ctx.parsed;
  const origin = originOf(ctx.parsed, call.expression);
  if (!origin) return;
  const options = optionsObject(ts, call.arguments?.[0]);
  if (origin.module === 'multer') {
    if (origin.path.length === 0) {
      const dest = property(ts, options, 'dest');
      if (dest && !isTempOrSpecial(ts, dest.initializer) && !isPersistedDataDirectory(ctx, dest.initializer)) ctx.report({ messageId: 'multerDest', start: dest.getStart(sourceFile), end: dest.end });
    } else if (origin.path.join('.') === 'diskStorage') {
      // without `destination`, multer uses os.tmpdir(): a temporary file, not state
      const destination = property(ts, options, 'destination');
      if (destination && !isTempOrSpecial(ts, destination.initializer) && !isPersistedDataDirectory(ctx, destination.initializer)) ctx.report({ messageId: 'multerDisk', start: destination.getStart(sourceFile), end: destination.end });
    }
    return;
  }
  if (origin.module === 'formidable') {
    const uploadDir = property(ts, options, 'uploadDir');
    if (uploadDir && !isTempOrSpecial(ts, uploadDir.initializer) && !isPersistedDataDirectory(ctx, uploadDir.initializer)) ctx.report({ messageId: 'formidable', start: uploadDir.getStart(sourceFile), end: uploadDir.end });
  }
}

/** `form.uploadDir = './uploads'` (formidable v1 style) and express-fileupload's `file.mv('./uploads/x')`. */
function checkAssignmentsAndMoves(ctx: FileStateContext): void {
  const { ts, sourceFile } = ctx.parsed;
  if (importsAny(ctx.parsed, FORMIDABLE)) {
    for (const bin of ctx.parsed.nodesOfKind<TS.BinaryExpression>(ts.SyntaxKind.BinaryExpression)) {
      if (bin.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(bin.left) || bin.left.name.text !== 'uploadDir') continue;
      if (!isTempOrSpecial(ts, bin.right) && !isPersistedDataDirectory(ctx, bin.right)) ctx.report({ messageId: 'formidable', start: bin.getStart(sourceFile), end: bin.end });
    }
  }
  if (importsAny(ctx.parsed, FILE_UPLOAD)) {
    for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'mv' || call.arguments.length === 0) continue;
      if (!isTempOrSpecial(ts, call.arguments[0])) ctx.report({ messageId: 'write', data: { fn: 'mv' }, start: call.getStart(sourceFile), end: call.end });
    }
  }
}

/** What some top-level statements tell the checks of others. */
interface FileStatePart {
  /** Top-level variable statements' texts: names resolve through them (`constInitializer`, `localValue`). */
  variables: readonly string[];
  /** Names assigned anywhere: a top-level `let` assigned again is no fixed location. */
  assigned: readonly string[];
}

interface FileStateSummary {
  imports: string;
  formidable: boolean;
  fileUpload: boolean;
  variables: string;
  assigned: ReadonlySet<string>;
  /** The package's deployment keeps a volume (project facts; read only when a module that could write there is imported). */
  persisted: boolean;
}

type FileStateContext = RuleContext<ParsedTs> & { summary: () => FileStateSummary };

const FORMIDABLE = new Set(['formidable']);
/** Modules whose calls consult the deployment (checkUploads, checkAssignmentsAndMoves). */
const UPLOAD_MODULES = new Set(['multer', 'formidable']);

/** Once per project context (an analysis). */
const persisted = new WeakMap<object, boolean>();
function persistedFor(project: ProjectContext): boolean {
  let known = persisted.get(project);
  if (known === undefined) persisted.set(project, (known = deploymentPersistsDirectory(project)));
  return known;
}
const FILE_UPLOAD = new Set(['express-fileupload']);
/** The modules some finding of this rule resolves a call to or needs imported. */
const REPORTING_MODULES: ReadonlySet<string> = new Set([...FS_MODULES, ...UPLOAD_MODULES, ...FILE_UPLOAD]);

/** Split per top-level statement (engine/statement-memo.ts): an edit re-checks only the statements it made. */
const statementwise: StatementwiseCheck<FileStatePart, FileStateSummary> = {
  part: (ctx, statements) => ({ variables: topLevelVariableTexts(ctx.parsed, statements), assigned: assignedNames(ctx.parsed) }),
  summary: (ctx, parts) => ({
    imports: importBindingsKey(ctx.parsed),
    formidable: importsAny(ctx.parsed, FORMIDABLE),
    fileUpload: importsAny(ctx.parsed, FILE_UPLOAD),
    variables: joinedParts(parts.map((p) => p.variables)),
    assigned: unionOfParts(parts.map((p) => p.assigned)),
    persisted: [...namedModules(ctx.parsed)].some((m) => FS_MODULES.has(m) || UPLOAD_MODULES.has(m)) && persistedFor(ctx.project),
  }),
  sameSummary: (a, b) => a.imports === b.imports && a.formidable === b.formidable && a.fileUpload === b.fileUpload && a.variables === b.variables && a.persisted === b.persisted && sameSet(a.assigned, b.assigned),
  // names resolve through `constInitializer` and `localValue` (a top-level `let` also by its assignments: `assigned`, compared)
  constsByName: { sameSummary: (a, b) => a.imports === b.imports && a.formidable === b.formidable && a.fileUpload === b.fileUpload && a.persisted === b.persisted && sameSet(a.assigned, b.assigned) },
  check(base, summary) {
    // every finding is a call resolved to one of these modules (`originOf` answers only modules the
    // file names) or needs one of them imported: most files name none and are not walked at all
    if (!namesAny(namedModules(base.parsed), REPORTING_MODULES)) return;
    const ctx: FileStateContext = { ...base, summary };
    const { ts } = ctx.parsed;
    for (const call of ctx.parsed.nodesOfKind<TS.CallExpression>(ts.SyntaxKind.CallExpression)) {
      checkFs(ctx, call);
      checkUploads(ctx, call);
    }
    for (const expr of ctx.parsed.nodesOfKind<TS.NewExpression>(ts.SyntaxKind.NewExpression)) checkUploads(ctx, expr);
    checkAssignmentsAndMoves(ctx);
  },
};

const rule: Rule = {
  meta: {
    id: 'processes/local-file-state',
    factor: 'processes',
    severity: 'warning',
    description: 'The app keeps state on the local filesystem (file writes, upload folders).',
    rationale: 'Twelve-factor processes are stateless and share-nothing (factor VI): the local disk is a single-transaction scratch space, never a store. Files written by one process are invisible to its other instances, and disappear on restart, redeploy or rescheduling. Persistent data belongs in a backing service: object storage (S3, GCS, Azure Blob), a database or a cache.',
    messages: {
      write: '{{fn}}() writes to the local filesystem: the file is lost on restart and invisible to other instances. Store it in a backing service (object storage such as S3, a database) or, for scratch files, under os.tmpdir().',
      mkdir: '{{fn}}() creates a data folder on the local filesystem: its content is lost on restart and invisible to other instances. Keep the data in a backing service (object storage, a database).',
      multerDest: 'multer stores uploads in a local folder (dest): they are lost on restart and invisible to other instances. Stream them to object storage (e.g. multer-s3) or use memoryStorage() and upload them.',
      multerDisk: 'multer.diskStorage() keeps uploads in a local folder: they are lost on restart and invisible to other instances. Stream them to object storage (e.g. multer-s3) instead.',
      formidable: 'formidable keeps uploads in a local folder (uploadDir): they are lost on restart and invisible to other instances. Move them to object storage after parsing, or keep them under os.tmpdir() only for the request.',
    },
    fix: 'none',
    roles: ['server'],
  },
  check: { ts: statementwiseTs(statementwise) },
  statementwise,
};

export default rule;
