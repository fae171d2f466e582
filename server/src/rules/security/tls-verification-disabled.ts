import type * as TS from 'typescript';
import type { Env, Arg, Instruction, JSONInstruction, Property } from 'dockerfile-ast';
import type { Fix, Rule, RuleContext, TextEdit } from '../../engine/types';
import type { ParsedTs } from '../../parse/typescript';
import type { ParsedDockerfile } from '../../parse/dockerfile';
import type { ParsedCompose } from '../../parse/compose';
import { envVarRead, nameOf, unwrap } from '../support/ts-helpers';
import { booleanValue, objectOf, removePropertyEdit, removeStatementEdit } from '../support/ts-literals';
import { programArgv } from '../../engine/command-model';
import { basename as programName, isAssignment, tokenize, type SimpleCommand, type Word } from '../../parse/shell';
import { environmentEntries, removeEntryEdit } from '../support/compose-env';
import { hasHint, textHint } from '../../parse/text-hint';

/**
 * Environment variables that switch certificate verification off, and whether a value does so.
 * Node treats any NODE_TLS_REJECT_UNAUTHORIZED other than '0' as "verify"; git skips
 * verification for any non-empty GIT_SSL_NO_VERIFY except false-ish values.
 */
const INSECURE_ENV: Record<string, (value: string) => boolean> = {
  NODE_TLS_REJECT_UNAUTHORIZED: (v) => v.trim() === '0',
  GIT_SSL_NO_VERIFY: (v) => v.trim() !== '' && !/^(?:0|false|no)$/i.test(v.trim()),
  NPM_CONFIG_STRICT_SSL: (v) => /^false$/i.test(v.trim()),
  PYTHONHTTPSVERIFY: (v) => v.trim() === '0',
};

function insecureEnv(name: string, value: string): boolean {
  const test = INSECURE_ENV[name.toUpperCase()];
  return !!test && test(value);
}

/** `insecure: true` means "skip verification" only on client options, not on arbitrary objects (UI flags, feature maps). */
function isClientOption(ts: typeof TS, property: TS.PropertyAssignment): boolean {
  let node: TS.Node = property.parent;
  while (ts.isObjectLiteralExpression(node) && ts.isPropertyAssignment(node.parent)) node = node.parent.parent;
  const parent = node.parent;
  return (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && !!parent.arguments?.includes(node as TS.Expression);
}

function literalString(ts: typeof TS, node: TS.Expression): string | undefined {
  const e = unwrap(ts, node);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)) return e.text;
  return undefined;
}

/**
 * Every TS finding names one of these options or variables in the source, as an identifier or a
 * string (an env name in any case). A backslash (escapes) or a non-ASCII letter (`toUpperCase`
 * maps some to ASCII) makes the text a candidate too.
 */
const TLS_OPTION_HINT = textHint(['rejectUnauthorized', 'strictSsl', 'insecure', 'tlsAllowInvalid', 'sslAllowInvalid', 'sslValidate', 'NODE_TLS_REJECT_UNAUTHORIZED', 'GIT_SSL_NO_VERIFY', 'NPM_CONFIG_STRICT_SSL', 'PYTHONHTTPSVERIFY', '[^\\x00-\\x7f]', '\\\\'], 'i');

function checkTs(ctx: RuleContext<ParsedTs>): void {
  const { ts, sourceFile } = ctx.parsed;
  if (!hasHint(ctx.parsed, ctx.text, TLS_OPTION_HINT)) return; // most files: no property or assignment to judge
  for (const property of ctx.parsed.nodesOfKind<TS.PropertyAssignment>(ts.SyntaxKind.PropertyAssignment)) {
    const name = nameOf(ts, property.name);
    if (!name) continue;
    const bool = booleanValue(ts, property.initializer);
    const numeric = unwrap(ts, property.initializer);
    let option: string | undefined;
    if ((name === 'rejectUnauthorized' && (bool === false || (ts.isNumericLiteral(numeric) && numeric.text === '0')))) option = 'rejectUnauthorized: false';
    else if ((name === 'strictSSL' || name === 'strictSsl') && bool === false) option = `${name}: false`;
    else if (name === 'insecure' && bool === true && isClientOption(ts, property)) option = 'insecure: true';
    // MongoDB driver / mongoose options
    else if ((name === 'tlsAllowInvalidCertificates' || name === 'tlsAllowInvalidHostnames' || name === 'tlsInsecure' || name === 'sslAllowInvalidCertificates') && bool === true) option = `${name}: true`;
    else if (name === 'sslValidate' && bool === false) option = 'sslValidate: false';
    else {
      const value = literalString(ts, property.initializer);
      if (value !== undefined && insecureEnv(name, value)) option = `${name}=${value}`;
    }
    if (!option) continue;
    const object = objectOf(ts, property);
    const fixes: Fix[] = [];
    if (object) fixes.push({ title: `Remove ${option} (verify certificates)`, kind: 'unsafe', edits: [removePropertyEdit(sourceFile, ctx.text, object, property)] });
    if (name === 'rejectUnauthorized') {
      fixes.push({
        title: 'Read rejectUnauthorized from the environment (verify unless TLS_REJECT_UNAUTHORIZED=false)',
        kind: 'suggestion',
        edits: [{ start: property.initializer.getStart(sourceFile), end: property.initializer.end, newText: "process.env.TLS_REJECT_UNAUTHORIZED !== 'false'" }],
      });
    }
    ctx.report({ messageId: 'tsOption', data: { option }, start: property.getStart(sourceFile), end: property.end, fixes });
  }
  for (const binary of ctx.parsed.nodesOfKind<TS.BinaryExpression>(ts.SyntaxKind.BinaryExpression)) {
    if (binary.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const left = unwrap(ts, binary.left);
    const envName = envVarRead(ts, left);
    let option: string | undefined;
    if (envName) {
      const value = literalString(ts, binary.right);
      if (value !== undefined && insecureEnv(envName, value)) option = `process.env.${envName} = '${value}'`;
    } else if (nameOf(ts, left) === 'rejectUnauthorized' && booleanValue(ts, binary.right) === false) {
      option = 'rejectUnauthorized = false';
    }
    if (!option) continue;
    const statement = binary.parent;
    const fixes: Fix[] = ts.isExpressionStatement(statement)
      ? [{ title: `Remove ${option} (verify certificates)`, kind: 'unsafe', edits: [removeStatementEdit(sourceFile, ctx.text, statement)] }]
      : [];
    ctx.report({ messageId: envName ? 'tsEnv' : 'tsOption', data: { option, name: envName ?? '' }, start: binary.getStart(sourceFile), end: binary.end, fixes });
  }
}

/** Removes one word (and the blank before or after it) from a command line. */
function removeWordEdit(text: string, word: Word): TextEdit {
  let end = word.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (end > word.end) return { start: word.start, end, newText: '' };
  let start = word.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { start, end: word.end, newText: '' };
}

/** Removes a whole simple command with the operator that joins it to its neighbour; undefined when it is the only one. */
function removeCommandEdit(commands: readonly SimpleCommand[], command: SimpleCommand): TextEdit | undefined {
  const index = commands.indexOf(command);
  const next = commands[index + 1];
  if (command.after && ['&&', ';'].includes(command.after) && next) return { start: command.start, end: next.start, newText: '' };
  const prev = commands[index - 1];
  if (command.before && ['&&', ';'].includes(command.before) && prev) return { start: prev.end, end: command.end, newText: '' };
  return undefined;
}

/** The whole instruction, with its line(s). */
function removeInstructionEdit(ctx: RuleContext<ParsedDockerfile>, instruction: Instruction): TextEdit {
  const range = instruction.getRange();
  const start = ctx.offsetAt({ line: range.start.line, character: 0 });
  let end = ctx.offsetAt(range.end);
  const nl = ctx.text.indexOf('\n', end);
  end = nl < 0 ? ctx.text.length : nl + 1;
  return { start, end, newText: '' };
}

const CURL_NO_ARG_FLAGS = /^-[sSLfkviIgGjJlNnOqRZ#]*k[sSLfkviIgGjJlNnOqRZ#]*$/;

interface ShellFinding { at: Word; what: string; edit?: TextEdit }

function insecureShell(text: string, commands: readonly SimpleCommand[], command: SimpleCommand): ShellFinding[] {
  const found: ShellFinding[] = [];
  const words = command.words;
  const programWord = programArgv(command)[0];
  const ci = programWord ? words.indexOf(programWord) : words.length;
  // inline assignments (`GIT_SSL_NO_VERIFY=1 git clone …`, `env NAME=value …`) and `export NAME=value`
  const assignmentWords = words.slice(0, ci).filter((w) => isAssignment(w.value)).concat(words[ci]?.value === 'export' ? words.slice(ci + 1) : []);
  for (const w of assignmentWords) {
    const eq = w.value.indexOf('=');
    if (eq > 0 && insecureEnv(w.value.slice(0, eq), w.value.slice(eq + 1))) {
      const onlyExport = words[ci]?.value === 'export' && words.length === 2;
      found.push({ at: w, what: w.value, edit: onlyExport ? removeCommandEdit(commands, command) : removeWordEdit(text, w) });
    }
  }
  const program = words[ci] ? programName(words[ci].value) : '';
  const args = words.slice(ci + 1);
  if (program === 'curl') {
    for (const w of args) {
      if (w.value === '--insecure' || w.value === '-k') found.push({ at: w, what: `curl ${w.value}`, edit: removeWordEdit(text, w) });
      else if (CURL_NO_ARG_FLAGS.test(w.value) && text.slice(w.start, w.end) === w.value) {
        const k = w.start + w.value.indexOf('k');
        found.push({ at: w, what: `curl ${w.value}`, edit: { start: k, end: k + 1, newText: '' } });
      }
    }
  } else if (program === 'wget') {
    for (const w of args) if (w.value === '--no-check-certificate') found.push({ at: w, what: 'wget --no-check-certificate', edit: removeWordEdit(text, w) });
  } else if (['npm', 'yarn', 'pnpm'].includes(program)) {
    const values = args.map((w) => w.value);
    const setAt = values[0] === 'config' && values[1] === 'set' ? 2 : values[0] === 'set' ? 1 : -1;
    if (setAt > 0) {
      const key = values[setAt] ?? '';
      const value = key.includes('=') ? key.split('=')[1] : values[setAt + 1] ?? '';
      if (/^(?:strict-ssl|strictSsl|enableStrictSsl)(?:=|$)/.test(key) && /^false$/i.test(value)) {
        found.push({ at: words[ci], what: `${program} config set ${key.split('=')[0]} false`, edit: removeCommandEdit(commands, command) });
      }
    }
    for (const w of args) if (/^--strict-ssl=false$/i.test(w.value)) found.push({ at: w, what: w.value, edit: removeWordEdit(text, w) });
  } else if (program === 'git') {
    const values = args.map((w) => w.value);
    const cfg = values.indexOf('config');
    if (cfg >= 0) {
      const rest = values.slice(cfg + 1).filter((v) => !v.startsWith('--'));
      if (/^http\.(?:[^ ]*\.)?sslverify$/i.test(rest[0] ?? '') && /^(?:false|0|no)$/i.test(rest[1] ?? '')) found.push({ at: words[ci], what: 'git config http.sslVerify false', edit: removeCommandEdit(commands, command) });
    }
    for (let i = 0; i < args.length - 1; i++) {
      if (args[i].value === '-c' && /^http\.(?:[^=]*\.)?sslverify=(?:false|0|no)$/i.test(args[i + 1].value)) {
        const end = args[i + 2]?.start ?? args[i + 1].end;
        found.push({ at: args[i + 1], what: `git -c ${args[i + 1].value}`, edit: { start: args[i].start, end, newText: '' } });
      }
    }
  }
  return found;
}

/** `RUN ["curl", "-k", …]`: no shell, so flags are JSON strings; reported without a fix (removing an array item is left to the user). */
function checkExecForm(ctx: RuleContext<ParsedDockerfile>, instruction: JSONInstruction): void {
  const strings = typeof instruction.getJSONStrings === 'function' ? instruction.getJSONStrings() : [];
  const program = programName(strings[0]?.getJSONValue() ?? '');
  for (const s of strings.slice(1)) {
    const v = s.getJSONValue();
    const insecure = (program === 'curl' && (v === '-k' || v === '--insecure' || CURL_NO_ARG_FLAGS.test(v))) || (program === 'wget' && v === '--no-check-certificate');
    if (!insecure) continue;
    const range = s.getRange();
    ctx.report({ messageId: 'dockerRun', data: { what: `${program} ${v}` }, start: ctx.offsetAt(range.start), end: ctx.offsetAt(range.end) });
  }
}

function checkDockerfile(ctx: RuleContext<ParsedDockerfile>): void {
  const dockerfile = ctx.parsed.dockerfile;
  for (const instruction of [...dockerfile.getENVs(), ...dockerfile.getARGs()]) {
    const properties = instruction.getKeyword() === 'ARG' ? [(instruction as Arg).getProperty()].filter((p): p is Property => !!p) : (instruction as Env).getProperties();
    for (const property of properties) {
      const value = property.getValue();
      if (value === null || !insecureEnv(property.getName(), value)) continue;
      const range = property.getRange();
      let edit: TextEdit;
      if (properties.length === 1) edit = removeInstructionEdit(ctx, instruction);
      else {
        let s = ctx.offsetAt(range.start);
        while (s > 0 && /[ \t]/.test(ctx.text[s - 1])) s--;
        edit = { start: s, end: ctx.offsetAt(range.end), newText: '' };
      }
      ctx.report({
        messageId: 'dockerEnv',
        data: { keyword: instruction.getKeyword(), name: property.getName(), value },
        start: ctx.offsetAt(range.start),
        end: ctx.offsetAt(range.end),
        fixes: [{ title: `Remove ${property.getName()} (verify certificates)`, kind: 'unsafe', edits: [edit] }],
      });
    }
  }
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() !== 'RUN') continue;
    const range = instruction.getArgumentsRange();
    if (!range) continue;
    const start = ctx.offsetAt(range.start);
    const end = ctx.offsetAt(range.end);
    const raw = ctx.text.slice(start, end);
    if (raw.trimStart().startsWith('[')) { checkExecForm(ctx, instruction as JSONInstruction); continue; }
    const commands = tokenize(ctx.text, start, end, ctx.parsed.escapeChar).filter((c) => c.words.length > 0);
    for (const command of commands) {
      for (const finding of insecureShell(ctx.text, commands, command)) {
        const edit = finding.edit ?? (commands.length === 1 ? removeInstructionEdit(ctx, instruction) : undefined);
        ctx.report({
          messageId: 'dockerRun',
          data: { what: finding.what },
          start: finding.at.start,
          end: finding.at.end,
          fixes: edit ? [{ title: `Remove ${finding.what} (verify certificates)`, kind: 'unsafe', edits: [edit] }] : [],
        });
      }
    }
  }
}

function checkCompose(ctx: RuleContext<ParsedCompose>): void {
  for (const entry of environmentEntries(ctx.parsed, ctx.text)) {
    if (/\$\{?[A-Za-z_]/.test(entry.value.replace(/\$\$/g, ''))) continue;
    if (!insecureEnv(entry.name, entry.value)) continue;
    const edit = removeEntryEdit(ctx.text, entry);
    ctx.report({
      messageId: 'composeEnv',
      data: { service: entry.service.name, name: entry.name, value: entry.value },
      start: entry.listForm ? entry.node.range![0] : entry.valueStart,
      end: entry.valueEnd,
      fixes: edit ? [{ title: `Remove ${entry.name} (verify certificates)`, kind: 'unsafe', edits: [edit] }] : [],
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'security/tls-verification-disabled',
    factor: 'security',
    severity: 'error',
    description: 'TLS certificate verification switched off in code, images or compose files.',
    rationale: 'Without certificate verification an encrypted connection authenticates nobody: anyone on the path can impersonate the database, the API or the package registry and read or alter the traffic (factor XV, transport security). A switch meant for a local workaround silently ships to every environment.',
    messages: {
      tsOption: '{{option}} turns off TLS certificate verification: the connection accepts any certificate, so anyone on the path can impersonate the server. Trust the right CA instead (e.g. the `ca` option or NODE_EXTRA_CA_CERTS).',
      tsEnv: 'Setting {{name}} turns off TLS certificate verification for the whole process. Trust the right CA instead (NODE_EXTRA_CA_CERTS).',
      dockerEnv: '{{keyword}} {{name}}={{value}} turns off TLS certificate verification in the image (and for every container started from it). Add the CA certificate instead.',
      dockerRun: '{{what}} downloads without verifying TLS certificates: a man in the middle can swap what gets built into the image. Add the CA certificate instead.',
      composeEnv: 'Service "{{service}}" sets {{name}}={{value}}, turning off TLS certificate verification. Mount the CA certificate and point NODE_EXTRA_CA_CERTS (or the tool\'s CA option) at it instead.',
    },
    fix: 'unsafe',
    roles: ['server', 'browser', 'script', 'tooling'],
  },
  check: { ts: checkTs, dockerfile: checkDockerfile, compose: checkCompose },
};

export default rule;
