/**
 * Which .env entries hold secrets: a credential format, a URL with a password, or a secret
 * name with a real (non-placeholder) value. Shared by the rules that judge .env files
 * (committed-env-file) and env files copied into images (secret-file-in-image).
 */
import { findCredential, isPlaceholder, isSecretName } from '../../engine/secrets';
import type { DotenvEntry } from '../../parse/dotenv';

/** The password of a `scheme://user:password@host` URL (connection strings carry credentials too). */
export function urlPassword(value: string): string | undefined {
  return /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@/\s]+)@/i.exec(value)?.[1];
}

export function isSecretEntry(entry: DotenvEntry): boolean {
  const value = entry.value.trim();
  if (value === '' || /\$\{?[A-Za-z_]/.test(value)) return false;
  if (findCredential(value)) return true;
  const password = urlPassword(value);
  if (password !== undefined && password.length >= 3 && !isPlaceholder(password)) return true;
  return isSecretName(entry.key) && value.length >= 3 && !isPlaceholder(value);
}

