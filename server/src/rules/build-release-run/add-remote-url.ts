import type { ModifiableInstruction } from 'dockerfile-ast';
import type { Fix, Rule, RuleContext } from '../../engine/types';
import type { ParsedDockerfile } from '../../parse/dockerfile';

/** A digest-shaped placeholder: the build fails with a checksum mismatch that prints the real digest. */
export const CHECKSUM_PLACEHOLDER = `sha256:${'0'.repeat(64)}`;

/** Git sources (`https://host/repo.git#ref`) are pinned by their ref, not by a checksum. */
function isGitSource(url: string): boolean {
  return /\.git(?:#|$)/.test(url) || /^git@/.test(url);
}

function check(ctx: RuleContext<ParsedDockerfile>): void {
  for (const instruction of ctx.parsed.dockerfile.getInstructions()) {
    if (instruction.getKeyword() !== 'ADD') continue;
    if ((instruction as ModifiableInstruction).getFlags().some((f) => f.getName().toLowerCase() === 'checksum')) continue;
    const args = instruction.getArguments();
    if (args.length < 2 || args[0].getValue().startsWith('[')) continue;
    const sources = args.slice(0, -1);
    const remote = sources.filter((a) => /^https?:\/\//i.test(a.getValue()) && !isGitSource(a.getValue()));
    if (remote.length === 0) continue;
    const fixes: Fix[] = [];
    // --checksum verifies a single source
    if (sources.length === 1) {
      const lineStart = ctx.offsetAt({ line: instruction.getRange().start.line, character: 0 });
      const indent = /^[ \t]*/.exec(ctx.text.slice(lineStart))![0];
      fixes.push({
        title: 'Add --checksum with a placeholder digest (the first build prints the real one)',
        kind: 'unsafe',
        edits: [
          { start: lineStart, end: lineStart, newText: `${indent}# Replace the placeholder with the file's sha256 (sha256sum <file>, or the digest the failing build reports)\n` },
          { start: ctx.offsetAt(remote[0].getRange().start), end: ctx.offsetAt(remote[0].getRange().start), newText: `--checksum=${CHECKSUM_PLACEHOLDER} ` },
        ],
      });
    }
    ctx.report({
      messageId: 'remote',
      data: { url: remote[0].getValue() },
      start: ctx.offsetAt(instruction.getRange().start),
      end: ctx.offsetAt(remote[0].getRange().end),
      fixes,
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'build-release-run/add-remote-url',
    factor: 'build-release-run',
    severity: 'warning',
    description: 'ADD of an http(s) URL without `--checksum`: the build downloads whatever the server returns.',
    rationale: 'A build turns a commit into a reproducible artifact (factor V). A remote ADD without a checksum puts unverified bytes into the release: the file can change or be tampered with between two builds of the same commit.',
    messages: {
      remote: 'ADD downloads {{url}} without verifying it: add --checksum=sha256:<digest> so the build fails if the file changes.',
    },
    fix: 'unsafe',
  },
  check: { dockerfile: check },
};

export default rule;
