/**
 * The key that authenticates persisted cache entries (HMAC-SHA256). It lives in the user's cache
 * folder (`userCacheDir`), mode 0600 — never beside the cache file, which may sit in a repository
 * (`node_modules/.cache`) that anyone can write: a cache file edited by someone without the key,
 * its checksum recomputed or not, fails authentication and is discarded.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { userCacheDir } from './user-cache-dir';

const KEY_FILE = 'cache-key';
const memo = new Map<string, Buffer>();

function readKey(file: string): Buffer | undefined {
  let fd: number;
  try { fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0)); } catch { return undefined; }
  try {
    const stat = fs.fstatSync(fd);
    // someone else's key, or one others can read, authenticates nothing
    if (!stat.isFile() || stat.size !== 64 || (stat.mode & 0o077) !== 0) return undefined;
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return undefined;
    const hex = fs.readFileSync(fd, 'utf8');
    return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * This user's cache key, created on first use. When the folder cannot hold one (read-only home),
 * a key for this process only: caches are then written but never trusted by a later run.
 */
export function cacheKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const dir = userCacheDir(env);
  const known = memo.get(dir);
  if (known) return known;
  const file = path.join(dir, KEY_FILE);
  let key = readKey(file);
  if (!key) {
    const fresh = randomBytes(32);
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      try { fs.unlinkSync(file); } catch { /* absent */ }
      fs.writeFileSync(file, fresh.toString('hex'), { flag: 'wx', mode: 0o600 });
      key = readKey(file) ?? fresh;
    } catch {
      key = readKey(file) ?? fresh; // a concurrent run created it first, or the folder is read-only
    }
  }
  memo.set(dir, key);
  return key;
}

/** The authentication tag of a cache body (of its UTF-8 bytes: a string and its encoding get the same tag). */
export function cacheTag(body: string | Buffer, env: NodeJS.ProcessEnv = process.env): string {
  return createHmac('sha256', cacheKey(env)).update(body).digest('hex');
}

/**
 * The bytes of `<tag>\n<body>` for `readTaggedFile`: the body is encoded once, for both the tag
 * and the file (a 20 MB cache was encoded twice: once hashing the string, once writing it).
 */
export function taggedBytes(body: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`${cacheTag(bytes, env)}\n`, 'utf8'), bytes]);
}

/**
 * The body of a file written as `<tag>\n<body>` with `cacheTag`, or undefined: missing, not a
 * regular file (never read through a symlink, never a FIFO or device), larger than `maxBytes`,
 * set aside by `accepts` (a cheap look at what the body is, before it is authenticated), or not
 * authenticated by this user's key (tags compared in constant time).
 */
export function readTaggedFile(file: string, maxBytes: number, accepts: (body: string) => boolean = () => true): string | undefined {
  let raw: Buffer;
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0));
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile() || stat.size > maxBytes) return undefined;
      raw = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const newline = raw.indexOf(0x0a);
  if (newline < 0) return undefined;
  const body = raw.toString('utf8', newline + 1);
  if (!accepts(body)) return undefined;
  // the tag of the bytes as read (those of the text the writer tagged): the body is not encoded again
  const expected = Buffer.from(cacheTag(raw.subarray(newline + 1)));
  const tag = raw.subarray(0, newline);
  return tag.length === expected.length && timingSafeEqual(tag, expected) ? body : undefined;
}
