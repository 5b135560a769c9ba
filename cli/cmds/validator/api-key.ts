/**
 * `tensornet validator api-key create|revoke|list`: the keys apps send to the validator API as
 * `Authorization: Bearer <secret>`. Only a SHA-256 of each secret is stored; `create` shows the secret once.
 */
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { withSettings } from '../../config';
import { usage } from '../../keys';

export interface ApiKeyArgs {
  readonly action: 'create' | 'revoke' | 'list';
  readonly target?: string;
  readonly 'api-keys'?: string;
  readonly 'requests-per-minute'?: number;
  readonly 'requests-per-day'?: number;
  readonly json: boolean;
}

export function apiKeyCommand(io: CliIo, home?: string): CommandModule<object, ApiKeyArgs> {
  return {
    command: 'api-key <action> [target]',
    describe: 'Create, revoke or list the validator API keys (create: target is the key\'s name; revoke: its id)',
    builder: (y) =>
      withSettings(y, io, { keys: ['json'] })
        .positional('action', { choices: ['create', 'revoke', 'list'] as const, demandOption: true })
        .positional('target', { type: 'string', description: 'create: a name for the key; revoke: the key id' })
        .options({
          'api-keys': { type: 'string', requiresArg: true, description: 'The key file [default: ~/.tensornet/validator/api-keys.json]' },
          'requests-per-minute': { type: 'number', requiresArg: true, description: 'create: this key\'s rate limit' },
          'requests-per-day': { type: 'number', requiresArg: true, description: 'create: this key\'s daily quota' },
        })
        .example('$0 validator api-key create my-app', 'prints the new key\'s secret once')
        .example('$0 validator api-key revoke 3f2a9c1b7d4e', 'the key stops working at once'),
    handler: async (args) => {
      const { ApiKeyError, createApiKey, defaultApiKeyFile, formatApiKeyList, listApiKeys, revokeApiKey } = await import('../../../validator');
      const file = args['api-keys'] === undefined ? defaultApiKeyFile(home) : resolve(args['api-keys']);
      try {
        switch (args.action) {
          case 'create': {
            if (args.target === undefined) throw usage('api-key create needs a name, e.g. tensornet validator api-key create my-app');
            const limits = {
              ...(args['requests-per-minute'] === undefined ? {} : { requestsPerMinute: args['requests-per-minute'] }),
              ...(args['requests-per-day'] === undefined ? {} : { requestsPerDay: args['requests-per-day'] }),
            };
            const created = createApiKey(file, args.target, limits);
            io.writeStdout(args.json ? `${JSON.stringify({ id: created.id, name: args.target, secret: created.secret })}\n` : `key ${created.id} (${args.target}) created; its secret, shown only now:\n${created.secret}\n`);
            return;
          }
          case 'revoke': {
            if (args.target === undefined) throw usage('api-key revoke needs the key id (see tensornet validator api-key list)');
            const record = revokeApiKey(file, args.target);
            io.writeStdout(args.json ? `${JSON.stringify(record)}\n` : `key ${record.id} (${record.name}) revoked\n`);
            return;
          }
          case 'list': {
            const records = listApiKeys(file);
            io.writeStdout(args.json ? `${JSON.stringify(records.map(({ sha256: _hash, ...rest }) => rest))}\n` : `${formatApiKeyList(records)}\n`);
            return;
          }
        }
      } catch (err) {
        if (err instanceof ApiKeyError) throw usage(`api-key ${args.action}: ${err.message}`, err);
        throw err;
      }
    },
  };
}
