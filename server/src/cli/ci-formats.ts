/**
 * Output formats for CI systems: GitHub workflow commands (annotations), GitLab Code Quality
 * (CodeClimate JSON), JUnit XML and Checkstyle XML. Each takes the same run result as the
 * other formats; messages are already masked by the rules, and no format prints source text.
 */
import type { Finding, Severity } from '../engine/types';
import { fingerprintAll, lineTextFrom } from '../report/baseline';
import { keptTexts, type FileResult, type RunResult } from './analyze-paths';

interface Row { file: FileResult; finding: Finding }

function rows(result: RunResult): Row[] {
  return result.files.flatMap((file) => file.findings.map((finding) => ({ file, finding })));
}

// ---- GitHub Actions workflow commands ------------------------------------------------------
// https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions
// The runner splits a command at `::` and its properties at `,` and `=`; it unescapes
// %25 %0D %0A in the message and also %3A %2C in property values (actions/toolkit command.ts).

const GITHUB_LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** Escapes a workflow command's message (data). */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One `::error file=…,line=…::message` line per finding (notice for info and hint). */
export function formatGithub(result: RunResult): string {
  return rows(result).map(({ file, finding: f }) => {
    const props: Array<[string, string | number]> = [
      ['file', file.file],
      ['line', f.range.start.line + 1],
      ['col', f.range.start.character + 1],
      ['endLine', f.range.end.line + 1],
      ['endColumn', f.range.end.character + 1],
      ['title', `factorlint ${f.ruleId}`],
    ];
    const properties = props.map(([k, v]) => `${k}=${escapeGithubProperty(String(v))}`).join(',');
    return `::${GITHUB_LEVEL[f.severity]} ${properties}::${escapeGithubData(`${f.message} (${f.ruleId})`)}\n`;
  }).join('');
}

// ---- GitLab Code Quality (CodeClimate issue JSON) -----------------------------------------
// https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format and
// https://github.com/codeclimate/platform/blob/master/spec/analyzers/SPEC.md#data-types

const CODECLIMATE_SEVERITY: Record<Severity, 'info' | 'minor' | 'major' | 'critical' | 'blocker'> = {
  error: 'critical', warning: 'major', info: 'minor', hint: 'info',
};

/**
 * A JSON array of issues. `fingerprint` is the baseline's (rule, file, normalized line text,
 * occurrence), so an issue keeps its identity when lines above it move and GitLab's merge
 * request widget shows only what changed.
 */
export function formatCodeClimate(result: RunResult): string {
  const all = rows(result);
  const texts = keptTexts(result.files, 'file');
  const prints = fingerprintAll(all.map(({ file, finding }) => ({ ...finding, path: file.file })), lineTextFrom(texts));
  const issues = all.map(({ file, finding: f }, i) => ({
    type: 'issue',
    check_name: f.ruleId,
    description: f.message,
    categories: [f.ruleId.startsWith('security/') || f.ruleId === 'config/hardcoded-secret' ? 'Security' : 'Bug Risk'],
    severity: CODECLIMATE_SEVERITY[f.severity],
    fingerprint: prints[i].fingerprint,
    location: { path: file.file, lines: { begin: f.range.start.line + 1, end: f.range.end.line + 1 } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}

// ---- XML -----------------------------------------------------------------------------------

/** Characters XML 1.0 cannot carry at all, even escaped (C0 controls but tab/LF/CR, FFFE/FFFF, lone surrogates). */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for an attribute value or element content; characters XML cannot hold become U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    // attribute-value normalization would turn raw TAB/LF/CR into spaces: keep them as references
    .replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

// ---- JUnit XML -----------------------------------------------------------------------------
// The Ant/Jenkins JUnit report (https://github.com/windyroad/JUnit-Schema/blob/master/JUnit.xsd,
// as GitLab reads it: https://docs.gitlab.com/ci/testing/unit_test_reports/). One test suite per
// analysed file, one test case per finding (a failure), a passing case for a clean file so the
// number of files checked shows in the CI's test view.

export function formatJunit(result: RunResult, durationSeconds = result.summary.durationMs / 1000): string {
  const analysed = result.files.filter((f) => f.analysed !== false || f.findings.length > 0);
  const total = analysed.reduce((n, f) => n + Math.max(1, f.findings.length), 0);
  const failures = analysed.reduce((n, f) => n + f.findings.length, 0);
  const out = [XML_DECLARATION, `<testsuites name="factorlint" tests="${total}" failures="${failures}" errors="0" time="${durationSeconds.toFixed(3)}">\n`];
  for (const file of analysed) {
    const name = escapeXml(file.file);
    out.push(`  <testsuite name="${name}" tests="${Math.max(1, file.findings.length)}" failures="${file.findings.length}" errors="0" skipped="0" time="0">\n`);
    if (file.findings.length === 0) out.push(`    <testcase name="factorlint" classname="${name}" time="0"/>\n`);
    for (const f of file.findings) {
      const where = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
      out.push(`    <testcase name="${escapeXml(`${f.ruleId} at ${where}`)}" classname="${name}" file="${name}" line="${f.range.start.line + 1}" time="0">\n`,
        `      <failure message="${escapeXml(f.message)}" type="${escapeXml(f.severity)}">${escapeXml(`${file.file}:${where} ${f.severity} ${f.message} (${f.ruleId})`)}</failure>\n`,
        '    </testcase>\n');
    }
    out.push('  </testsuite>\n');
  }
  out.push('</testsuites>\n');
  return out.join('');
}

// ---- Checkstyle XML ------------------------------------------------------------------------
// Checkstyle's XMLLogger format (https://checkstyle.org/, src/main/java/com/puppycrawl/tools/
// checkstyle/XMLLogger.java), read by Jenkins warnings-ng, reviewdog, SonarQube and others.

const CHECKSTYLE_SEVERITY: Record<Severity, 'error' | 'warning' | 'info'> = { error: 'error', warning: 'warning', info: 'info', hint: 'info' };

export function formatCheckstyle(result: RunResult, version: string): string {
  const out = [XML_DECLARATION, `<checkstyle version="${escapeXml(version)}">\n`];
  for (const file of result.files) {
    if (file.analysed === false && file.findings.length === 0) continue;
    if (file.findings.length === 0) { out.push(`  <file name="${escapeXml(file.file)}"/>\n`); continue; }
    out.push(`  <file name="${escapeXml(file.file)}">\n`);
    for (const f of file.findings) {
      out.push(`    <error line="${f.range.start.line + 1}" column="${f.range.start.character + 1}" severity="${CHECKSTYLE_SEVERITY[f.severity]}" message="${escapeXml(f.message)}" source="${escapeXml(`factorlint.${f.ruleId}`)}"/>\n`);
    }
    out.push('  </file>\n');
  }
  out.push('</checkstyle>\n');
  return out.join('');
}
