/**
 * Which top-level statements an edit of the file's top-level variable statements can affect,
 * for rules that read those statements only by name (`StatementwiseCheck.constsByName`).
 *
 * A broken line often turns a function's locals into top-level statements for a keystroke or
 * two (`/` typed at a line start ends the function early), and a rule whose summary holds the
 * top-level variable statements' texts then re-checked the whole file. But such a rule reads a
 * top-level const only by resolving a name (`constInitializer`, `localValue`, `flowOf`): from
 * the node up through its enclosing blocks, then the file. So a statement whose every
 * occurrence of a changed name is declared by a `const` of an enclosing block (where each of
 * those resolvers stops) cannot see the change, and keeps its findings.
 */
import type * as TS from 'typescript';
import type { ParsedTs } from '../parse/typescript';
import { parseMemo } from '../parse/parse-memo';
import { boundIdentifiers, identifierAt, isWordAt, mayEscapeIdentifiers, statementAt } from '../parse/identifier-search';

/** The file's top-level variable statements, as a rule reading them by name sees them. */
export interface ConstTable {
  /** Per declared name, the texts of the statements declaring it, in order. */
  readonly byName: ReadonlyMap<string, string>;
  /** The same with where each statement's text starts. */
  readonly placesByName: ReadonlyMap<string, string>;
  /** Each top-level variable statement, its declared names and text. */
  readonly statements: ReadonlyArray<{ node: TS.Statement; names: readonly string[]; text: string }>;
}

const tables = parseMemo<ConstTable>('top-level const table');

/** The table of a parse (the whole file's, once per version: every opted-in rule asks). */
export function constTableOf(parsed: ParsedTs): ConstTable {
  const whole = parsed.whole ?? parsed;
  const known = tables.get(whole);
  if (known) return known;
  const { ts, sourceFile } = whole;
  const byName = new Map<string, string>();
  const placesByName = new Map<string, string>();
  const statements: Array<{ node: TS.Statement; names: string[]; text: string }> = [];
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const names: string[] = [];
    for (const decl of statement.declarationList.declarations) for (const id of boundIdentifiers(ts, decl.name)) names.push(id.text);
    const text = statement.getText(sourceFile);
    statements.push({ node: statement, names, text });
    const place = `${statement.getStart(sourceFile)}\u0001${text}\u0000`;
    for (const name of names) {
      byName.set(name, (byName.get(name) ?? '') + text + '\u0000');
      placesByName.set(name, (placesByName.get(name) ?? '') + place);
    }
  }
  return tables.set(whole, { byName, placesByName, statements });
}

const namingMemo = parseMemo<Array<{ before: ConstTable; places: boolean; naming: Uint8Array | undefined }>>('statements naming a changed const');

/**
 * `statementsNaming` of the names `changedConstNames` gives between `before` and this version:
 * once per version, last table and `places` (every opted-in rule asks, with the same last table).
 */
export function statementsNamingChanges(parsed: ParsedTs, before: ConstTable, places: boolean): Uint8Array | undefined {
  const whole = parsed.whole ?? parsed;
  const known = namingMemo.get(whole) ?? namingMemo.set(whole, []);
  const hit = known.find((k) => k.before === before && k.places === places);
  if (hit) return hit.naming;
  const names = changedConstNames(before, constTableOf(whole), places);
  const naming = names && statementsNaming(whole, names);
  known.push({ before, places, naming });
  return naming;
}

/** Beyond this many changed names the caller checks the whole file (as before). */
const MAX_CHANGED = 64;

/**
 * The names whose resolution may differ between two versions: declared differently (or only in
 * one; with `places`, also a declaring statement that moved), declared by a statement TypeScript re-parsed (its nodes are new: a part that holds a node
 * of it, or its place, support/cross-statement.ts, must be made again), and, transitively,
 * declared by a statement of either version whose text mentions one (a const built from a changed
 * const). Undefined when there are too many to be worth it.
 */
export function changedConstNames(before: ConstTable, after: ConstTable, places = false): Set<string> | undefined {
  const changed = new Set<string>();
  const [was, now] = places ? [before.placesByName, after.placesByName] : [before.byName, after.byName];
  for (const [name, texts] of was) if (now.get(name) !== texts) changed.add(name);
  for (const name of now.keys()) if (!was.has(name)) changed.add(name);
  const dropped = new Set<TS.Node>(before.statements.map((s) => s.node));
  for (const { node, names } of after.statements) if (!dropped.delete(node)) for (const n of names) changed.add(n); // new
  for (const { node, names } of before.statements) if (dropped.has(node)) for (const n of names) changed.add(n);
  for (let grew = changed.size > 0; grew;) {
    grew = false;
    for (const table of [before, after]) {
      for (const { names, text } of table.statements) {
        if (names.every((n) => changed.has(n))) continue;
        for (const name of changed) {
          if (!mentions(text, name)) continue;
          for (const n of names) changed.add(n);
          grew = true;
          break;
        }
      }
    }
    if (changed.size > MAX_CHANGED) return undefined;
  }
  return changed;
}

/** Whether `text` has `name` as a whole word. */
function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (isWordAt(text, at, name.length)) return true;
  }
  return false;
}

/** Beyond this many occurrences of the changed names the caller checks the whole file. */
const MAX_OCCURRENCES = 20000;

/**
 * Whether a statement names a const outside a block const of that name is a function of the
 * statement's nodes, which TypeScript moves unchanged into the next version when it reuses the
 * statement: the answers are kept in the statement's memo (parse/statement-index.ts `memoOf`).
 */
const NAMES = 'names a const outside a block const';

/**
 * By top-level statement index, 1 for a statement with an identifier named in `names` that no
 * enclosing block declares as a `const` with an initializer (where `constInitializer`,
 * `localValue` and `flowOf` would all stop before the file's own declarations). Undefined when
 * it cannot tell cheaply: an escape in the text (`\u0075rl` names `url`), or too many matches.
 */
export function statementsNaming(parsed: ParsedTs, names: ReadonlySet<string>): Uint8Array | undefined {
  const whole = parsed.whole ?? parsed;
  const { sourceFile } = whole;
  const text = sourceFile.text;
  const statements = sourceFile.statements;
  const naming = new Uint8Array(statements.length);
  if (names.size === 0) return naming;
  if (mayEscapeIdentifiers(text)) return undefined;
  const budget = { occurrences: MAX_OCCURRENCES };
  for (const name of names) {
    for (let at = text.indexOf(name); at >= 0;) {
      if (!isWordAt(text, at, name.length)) { at = text.indexOf(name, at + 1); continue; }
      const i = statementAt(statements, at);
      if (i >= statements.length) break;
      const statement = statements[i];
      if (!naming[i]) {
        const memo = whole.statementMemo?.(i);
        let known = memo?.get(NAMES) as Map<string, boolean> | undefined;
        if (!known) memo?.set(NAMES, (known = new Map()));
        let answer = known?.get(name);
        if (answer === undefined) {
          answer = namesOutsideBlockConst(whole, statement, name, at, budget);
          if (answer === undefined) return undefined;
          known?.set(name, answer);
        }
        if (answer) naming[i] = 1;
      }
      at = text.indexOf(name, statement.end); // one answer per statement and name
    }
  }
  return naming;
}

/** Whether `statement` has an identifier `name` (from its first whole-word occurrence `from` on) that no enclosing block's const declares; undefined past the budget. */
function namesOutsideBlockConst(parsed: ParsedTs, statement: TS.Statement, name: string, from: number, budget: { occurrences: number }): boolean | undefined {
  const { ts, sourceFile } = parsed;
  const text = sourceFile.text;
  const blockConsts = new Map<TS.Node, Set<string>>();
  // the common case without a descent: a function declaration whose body declares the name
  const body = ts.isFunctionDeclaration(statement) ? statement.body : undefined;
  for (let at = from; at >= 0 && at < statement.end; at = text.indexOf(name, at + name.length)) {
    if (!isWordAt(text, at, name.length)) continue;
    if (--budget.occurrences < 0) return undefined;
    if (body && body.pos < at && at < body.end && blockConstsOf(ts, body, blockConsts).has(name)) { at = body.end - name.length; continue; }
    const id = identifierAt(ts, statement, at, sourceFile);
    if (!id || id.text !== name) continue; // in a string, a comment, a property name of a literal type…
    if ((ts.isVariableDeclaration(id.parent) || ts.isBindingElement(id.parent)) && id.parent.name === id) continue; // a declaration, not a use
    if (!declaredByEnclosingBlock(ts, id, statement, name, blockConsts)) return true;
  }
  return false;
}

function declaredByEnclosingBlock(ts: typeof TS, id: TS.Node, statement: TS.Node, name: string, cache: Map<TS.Node, Set<string>>): boolean {
  for (let p: TS.Node | undefined = id.parent; p && p !== statement.parent; p = p.parent) {
    if ((ts.isBlock(p) || ts.isModuleBlock(p)) && blockConstsOf(ts, p, cache).has(name)) return true;
  }
  return false;
}

function blockConstsOf(ts: typeof TS, block: TS.Block | TS.ModuleBlock, cache: Map<TS.Node, Set<string>>): Set<string> {
  let consts = cache.get(block);
  if (!consts) cache.set(block, (consts = constsOfBlock(ts, block.statements)));
  return consts;
}

/** The names a block's own `const x = …` statements declare (plain identifiers with an initializer). */
function constsOfBlock(ts: typeof TS, statements: readonly TS.Statement[]): Set<string> {
  const names = new Set<string>();
  for (const s of statements) {
    if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const decl of s.declarationList.declarations) if (ts.isIdentifier(decl.name) && decl.initializer) names.add(decl.name.text);
  }
  return names;
}

