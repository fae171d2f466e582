/**
 * Whether a file-system path is rooted in a location the deployment configures: an
 * environment variable, a CLI option or a directory setting of the app's configuration
 * (`process.env.DATA_DIR`, `args.stacksDir || process.env.STACKS_DIR || '/opt/stacks'`,
 * `this.server.config.dataDir`). Such a directory is the app's deliberate data directory: the
 * operator decides where it lives (a mounted volume). A path the code fixes itself (a literal,
 * `__dirname`, `process.cwd()`, a call's result, a parameter) is not configured.
 *
 * Only the root of the path counts (`path.join(__dirname, process.env.SUB)` stays rooted in
 * the image). Followed in the file only: consts and never-reassigned `let`s, `this.x` members
 * of the enclosing class (getters, initialisers, one constructor assignment).
 */
import type * as TS from 'typescript';
import type { ProjectContext } from '../../engine/project-context';
import { nameWords } from '../../engine/secrets';
import { envVarRead, unwrap } from './ts-helpers';

/** Last words of a setting that names a directory (`stacksDir`, `DATA_DIRECTORY`, `uploadFolder`, `storageRoot`). */
const DIRECTORY_WORDS = new Set(['dir', 'directory', 'folder', 'root']);
const PATH_FUNCTIONS = /^(?:join|resolve|normalize)$/;
const PATH_MODULES = /^(?:path|nodePath|pathModule|posix|win32)$/;

export function isConfiguredLocation(ts: typeof TS, node: TS.Expression, depth = 0): boolean {
  if (depth > 6) return false;
  const e = unwrap(ts, node);
  if (envVarRead(ts, e) !== undefined) return true;
  if (ts.isCallExpression(e)) {
    const root = pathJoinRoot(ts, e);
    return !!root && isConfiguredLocation(ts, root, depth + 1);
  }
  if (ts.isTemplateExpression(e)) return e.head.text === '' && isConfiguredLocation(ts, e.templateSpans[0].expression, depth + 1);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    // `args.dir || process.env.DIR || './data'`: configured when the value is taken from configuration first
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.PlusToken) return isConfiguredLocation(ts, e.left, depth + 1);
    return false;
  }
  if (ts.isConditionalExpression(e)) return isConfiguredLocation(ts, e.whenTrue, depth + 1) && isConfiguredLocation(ts, e.whenFalse, depth + 1);
  if (ts.isIdentifier(e)) {
    const init = localValue(ts, e);
    return !!init && isConfiguredLocation(ts, init, depth + 1);
  }
  if (ts.isPropertyAccessExpression(e)) {
    if (e.expression.kind === ts.SyntaxKind.ThisKeyword) {
      // the class sets it: every value it sets must be configured (an empty initial value aside)
      const values = thisMemberValues(ts, e)?.filter((v) => !isEmptyValue(ts, v));
      if (values) return values.length > 0 && values.every((v) => isConfiguredLocation(ts, v, depth + 1));
    }
    // a directory setting read from another object (`server.stacksDir`, `config.dataDir`), not a literal object
    const words = nameWords(e.name.text);
    return DIRECTORY_WORDS.has(words[words.length - 1]) && isReference(ts, e.expression);
  }
  return false;
}

/** The first argument of `path.join(…)`/`path.resolve(…)` (or an imported `join(…)`). */
function pathJoinRoot(ts: typeof TS, call: TS.CallExpression): TS.Expression | undefined {
  const callee = call.expression;
  const isPathCall = ts.isPropertyAccessExpression(callee)
    ? PATH_FUNCTIONS.test(callee.name.text) && ts.isIdentifier(callee.expression) && PATH_MODULES.test(callee.expression.text)
    : ts.isIdentifier(callee) && PATH_FUNCTIONS.test(callee.text);
  return isPathCall ? call.arguments[0] : undefined;
}

function isReference(ts: typeof TS, node: TS.Expression): boolean {
  const e = unwrap(ts, node);
  return ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword || (ts.isPropertyAccessExpression(e) && isReference(ts, e.expression));
}

/** The initializer of the `const`, or of a `let`/`var` never assigned again, that `id` names in an enclosing scope. */
function localValue(ts: typeof TS, id: TS.Identifier): TS.Expression | undefined {
  for (let scope: TS.Node | undefined = id.parent; scope; scope = scope.parent) {
    const statements = ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) ? scope.statements : undefined;
    if (!statements) continue;
    for (const statement of statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const decl of statement.declarationList.declarations) {
        if (!ts.isIdentifier(decl.name) || decl.name.text !== id.text) continue;
        const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
        return isConst || !isReassigned(ts, scope, id.text) ? decl.initializer : undefined;
      }
    }
  }
  return undefined;
}

function isReassigned(ts: typeof TS, scope: TS.Node, name: string): boolean {
  const visit = (node: TS.Node): boolean => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
      && ts.isIdentifier(node.left) && node.left.text === name) return true;
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(scope);
}

function isEmptyValue(ts: typeof TS, node: TS.Expression): boolean {
  const e = unwrap(ts, node);
  return (ts.isStringLiteral(e) && e.text === '') || e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined');
}

/**
 * What `this.x` may hold, from the enclosing class: a getter's returned expression, the
 * property's initializer, its `this.x = …` assignments. Undefined when the class does not
 * declare or assign it (it is set from outside).
 */
function thisMemberValues(ts: typeof TS, access: TS.PropertyAccessExpression): TS.Expression[] | undefined {
  let cls: TS.Node | undefined = access.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls)) return undefined;
  const name = access.name.text;
  const values: TS.Expression[] = [];
  let declared = false;
  for (const member of cls.members) {
    if (!member.name || !ts.isIdentifier(member.name) || member.name.text !== name) continue;
    declared = true;
    if (ts.isGetAccessorDeclaration(member) && member.body) {
      const last = member.body.statements[member.body.statements.length - 1];
      if (last && ts.isReturnStatement(last) && last.expression) values.push(last.expression);
    } else if (ts.isPropertyDeclaration(member) && member.initializer) values.push(member.initializer);
  }
  const visit = (node: TS.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)
      && node.left.expression.kind === ts.SyntaxKind.ThisKeyword && node.left.name.text === name) values.push(node.right);
    ts.forEachChild(node, visit);
  };
  visit(cls);
  return declared || values.length > 0 ? values : undefined;
}

/** The deployment files a package ships beside its package.json. */
const DEPLOYMENT_FILES = ['Dockerfile', 'docker/Dockerfile', 'compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
/** `VOLUME /app/data` in a Dockerfile. */
const DOCKERFILE_VOLUME = /^[ \t]*VOLUME[ \t]+\S/im;
/** A Compose volume mount into an absolute container path (`- ./data:/app/data`, `- stacks:/opt/stacks`), not `KEY=scheme://…`. */
const COMPOSE_MOUNT = /^[ \t]*-[ \t]*["']?[^\s:#"'=]+:\/[^\s"']*/m;

/**
 * Whether the package's own deployment files keep a directory across restarts: a Dockerfile
 * `VOLUME`, or a Compose service mounting a volume. Together with a configured location it says
 * the data directory is deliberate and persisted; without it, configured or not, files written
 * there live and die with the container. Unknown (no host to read files) counts as no.
 */
export function deploymentPersistsDirectory(project: ProjectContext): boolean {
  const read = project.readWorkspaceFile;
  const pkg = project.nearestPackage;
  if (!read || !pkg) return false;
  const base = pkg.dir && pkg.dir !== '.' ? `${pkg.dir}/` : '';
  return DEPLOYMENT_FILES.some((file) => {
    const text = read(`${base}${file}`);
    if (text === undefined) return false;
    return /Dockerfile$/.test(file) ? DOCKERFILE_VOLUME.test(text) : COMPOSE_MOUNT.test(text);
  });
}
