/**
 * Validation against the official SARIF 2.1.0 JSON schema (rtm.5, as shipped in the
 * `@microsoft/jest-sarif` package; a draft-04 schema, hence `ajv-draft-04`). The schema's
 * `language` pattern is not valid in unicode mode, so patterns compile without the `u` flag.
 */
import * as assert from 'node:assert/strict';
import Ajv from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';

let validate: ValidateFunction | undefined;

export function assertMatchesSarifSchema(log: unknown): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  validate ??= new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
  const ok = validate(log);
  assert.ok(ok, `not a valid SARIF 2.1.0 log: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
}
