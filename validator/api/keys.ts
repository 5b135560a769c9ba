/**
 * API keys: a JSON file of key records (id, name, creation time, per-key limits and the SHA-256 of the
 * secret — never the secret itself), written atomically (a temporary file, fsync, rename). A secret is
 * shown once, when the key is created. Secrets are 256 random bits, so a plain SHA-256 is safe to store
 * (a slow password hash guards low-entropy secrets; these have none to guard).
 *
 * The running API only reads the file and reloads it when it changes on disk, so keys created or revoked
 * by `tensornet validator api-key` take effect without a restart. The file has one writer at a time (the CLI).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { silentLogger, type Logger } from '../../common/logger';
import { ApiKeyError } from './errors';

/** Limits of one key; a missing one takes the API's default. */
export interface ApiKeyLimits {
  /** Sustained requests per minute (token bucket, burst of the same size). */
  readonly requestsPerMinute?: number;
  /** Inference requests per UTC day. */
  readonly requestsPerDay?: number;
}

export interface ApiKeyRecord {
  /** Public identifier (12 hex digits); also the secret's prefix, so logs can name the key. */
  readonly id: string;
  readonly name: string;
  /** ISO 8601. */
  readonly created: string;
  /** Hex SHA-256 of the secret. */
  readonly sha256: string;
  /** ISO 8601 time of revocation; null while the key is valid. */
  readonly revoked: string | null;
  readonly limits: ApiKeyLimits;
}

/** What `create` returns: the secret appears here and nowhere else. */
export interface CreatedApiKey {
  readonly id: string;
  /** The bearer token (`Authorization: Bearer <secret>`): shown once, not recoverable. */
  readonly secret: string;
  readonly record: ApiKeyRecord;
}

const positiveInt = z.number().int().positive();
const limitsSchema = z.object({ requestsPerMinute: positiveInt.optional(), requestsPerDay: positiveInt.optional() }).strict();
const recordSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{12}$/),
  name: z.string(),
  created: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  revoked: z.string().nullable(),
  limits: limitsSchema,
}).strict();
const fileSchema = z.object({ version: z.literal(1), keys: z.array(recordSchema) }).strict();

const SECRET = /^tnk_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;
const NAME_MAX = 64;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The key file used when none is named: `~/.tensornet/validator/api-keys.json`. */
export function defaultApiKeyFile(home: string = homedir()): string {
  return join(home, '.tensornet', 'validator', 'api-keys.json');
}

export interface ApiKeyStoreOptions {
  /** Told when the file changed on disk but could not be read (the last good keys stay in force). */
  readonly logger?: Logger;
}

export class ApiKeyStore {
  private records: ApiKeyRecord[] = [];
  private seen: { mtimeMs: number; size: number; ino: number } | null = null;
  private readonly logger: Logger;

  private constructor(readonly path: string, options: ApiKeyStoreOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Opens the key file (a missing file is an empty store; it is created by the first `create`).
   * @throws ApiKeyError `InvalidKeyFile`
   */
  static open(path: string, options: ApiKeyStoreOptions = {}): ApiKeyStore {
    const store = new ApiKeyStore(path, options);
    store.load(true);
    return store;
  }

  /**
   * Creates a key. The secret is returned here once; the file keeps only its SHA-256.
   * @throws ApiKeyError `InvalidKeyName`, `InvalidLimits`, `InvalidKeyFile`
   */
  create(name: string, limits: ApiKeyLimits = {}): CreatedApiKey {
    checkName(name);
    const checked = limitsSchema.safeParse(limits);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new ApiKeyError('InvalidLimits', `${issue.path.join('.') || 'limits'}: must be a positive integer`, { limits });
    }
    this.load(true);
    let id: string;
    do id = randomBytes(6).toString('hex');
    while (this.records.some((r) => r.id === id));
    const secret = `tnk_${id}_${randomBytes(32).toString('base64url')}`;
    const record: ApiKeyRecord = { id, name, created: new Date().toISOString(), sha256: sha256Hex(secret), revoked: null, limits: checked.data };
    this.write([...this.records, record]);
    return { id, secret, record };
  }

  /**
   * Revokes a key (kept in the file, marked with the time; revoking it again changes nothing).
   * @throws ApiKeyError `UnknownKey`, `InvalidKeyFile`
   */
  revoke(id: string): ApiKeyRecord {
    this.load(true);
    const record = this.records.find((r) => r.id === id);
    if (record === undefined) throw new ApiKeyError('UnknownKey', `no API key has id ${JSON.stringify(id)} (tensornet validator api-key list shows them)`, { id });
    if (record.revoked !== null) return record;
    const revoked = { ...record, revoked: new Date().toISOString() };
    this.write(this.records.map((r) => (r.id === id ? revoked : r)));
    return revoked;
  }

  /** Every key, revoked ones included, oldest first. */
  list(): readonly ApiKeyRecord[] {
    this.refresh();
    return this.records;
  }

  /** The valid (not revoked) key a bearer secret belongs to, or null. The hash comparison takes constant time. */
  verify(bearer: string): ApiKeyRecord | null {
    this.refresh();
    const id = SECRET.exec(bearer)?.[1];
    const record = id === undefined ? undefined : this.records.find((r) => r.id === id);
    const expected = Buffer.from(record?.sha256 ?? '0'.repeat(64), 'hex');
    const equal = timingSafeEqual(createHash('sha256').update(bearer, 'utf8').digest(), expected);
    return equal && record !== undefined && record.revoked === null ? record : null;
  }

  /** Reloads the file when it changed on disk; an unreadable file keeps the last good keys. */
  private refresh(): void {
    try {
      this.load(false);
    } catch (err) {
      this.logger.warn('the API key file could not be read; the last good keys stay in force', { path: this.path, err: err instanceof Error ? err.message : String(err) });
    }
  }

  private load(force: boolean): void {
    let stats: Stats;
    try {
      stats = statSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ApiKeyError('InvalidKeyFile', `${this.path}: ${(err as Error).message}`, { path: this.path }, { cause: err });
      this.records = [];
      this.seen = null;
      return;
    }
    const seen = { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino };
    if (!force && this.seen !== null && seen.mtimeMs === this.seen.mtimeMs && seen.size === this.seen.size && seen.ino === this.seen.ino) return;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (err) {
      throw new ApiKeyError('InvalidKeyFile', `${this.path} is not a JSON key file: ${(err as Error).message}`, { path: this.path }, { cause: err });
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ApiKeyError('InvalidKeyFile', `${this.path}: ${issue.path.join('.') || '(file)'}: ${issue.message}`, { path: this.path });
    }
    this.records = parsed.data.keys;
    this.seen = seen;
  }

  private write(records: ApiKeyRecord[]): void {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify({ version: 1, keys: records }, null, 2)}\n`, { mode: 0o600 });
      const fd = openSync(tmp, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    this.load(true);
  }
}

function checkName(name: string): void {
  if (name.trim().length === 0 || name.length > NAME_MAX || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new ApiKeyError('InvalidKeyName', `an API key name must be 1-${NAME_MAX} characters without control characters, got ${JSON.stringify(name)}`, { name });
  }
}

// The `tensornet validator api-key` commands: each opens the file, acts, and returns what to print.

/** `api-key create NAME [--requests-per-minute N] [--requests-per-day N]`. @throws ApiKeyError */
export function createApiKey(file: string, name: string, limits: ApiKeyLimits = {}): CreatedApiKey {
  return ApiKeyStore.open(file).create(name, limits);
}

/** `api-key revoke ID`. @throws ApiKeyError `UnknownKey`, `InvalidKeyFile` */
export function revokeApiKey(file: string, id: string): ApiKeyRecord {
  return ApiKeyStore.open(file).revoke(id);
}

/** `api-key list`. @throws ApiKeyError `InvalidKeyFile` */
export function listApiKeys(file: string): readonly ApiKeyRecord[] {
  return ApiKeyStore.open(file).list();
}

/** The human-readable table `api-key list` prints (no hashes, no secrets). */
export function formatApiKeyList(records: readonly ApiKeyRecord[]): string {
  if (records.length === 0) return 'no API keys (create one: tensornet validator api-key create NAME)';
  const rows = records.map((r) => [
    r.id, r.name, r.created, r.revoked === null ? 'active' : `revoked ${r.revoked}`,
    r.limits.requestsPerMinute === undefined ? 'default' : String(r.limits.requestsPerMinute),
    r.limits.requestsPerDay === undefined ? 'default' : String(r.limits.requestsPerDay),
  ]);
  const all = [['ID', 'NAME', 'CREATED', 'STATUS', 'REQ/MIN', 'REQ/DAY'], ...rows];
  const widths = all[0]!.map((_, col) => Math.max(...all.map((row) => row[col]!.length)));
  return all.map((row) => row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n');
}
