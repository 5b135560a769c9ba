/**
 * What the long-running commands (miner, validator) share: unlocking a wallet key without ever prompting,
 * and turning expected failures (a missing key, a busy port) into one-line user errors.
 */
import { WalletError, passwordEnvVarName, type Keypair, type Wallet } from '../chain-client/wallet';
import { CliError } from './errors';

export function usage(message: string, cause?: unknown): CliError {
  return new CliError('UsageError', message, {}, cause === undefined ? undefined : { cause });
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A listen failure as one line naming the flag that picks the address. */
export function listenError(err: unknown, what: string, host: string, port: number, flag: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return usage(`${what} port ${port} on ${host} is in use (pick another with ${flag})`, err);
  if (code === 'EACCES') return usage(`${what} may not listen on ${host}:${port} (a port below 1024 needs privileges; pick another with ${flag})`, err);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return usage(`${what} cannot bind ${host}: no such local address`, err);
  return err;
}

export async function unlockKey(wallet: Wallet, which: 'hotkey' | 'coldkey'): Promise<Keypair> {
  const file = which === 'hotkey' ? wallet.hotkeyFile : wallet.coldkeyFile;
  try {
    return which === 'hotkey' ? await wallet.unlockHotkey() : await wallet.unlockColdkey();
  } catch (err) {
    if (!(err instanceof WalletError)) throw err;
    const key = which === 'hotkey' ? `hotkey "${wallet.hotkeyName}"` : 'coldkey';
    switch (err.code) {
      case 'KeyfileNotFound':
        throw usage(`wallet "${wallet.name}" has no ${key}: ${file.path} does not exist (check --wallet, --hotkey and --wallet-path)`, err);
      case 'PasswordRequired':
        throw usage(`the ${key} of wallet "${wallet.name}" is encrypted and tensornet never prompts: set ${passwordEnvVarName(file.path)} (the reference SDK's headless unlock)${which === 'coldkey' ? ' or use an unencrypted coldkey' : ''}`, err);
      case 'WrongPassword':
        throw usage(`cannot decrypt the ${key} of wallet "${wallet.name}": the password in ${passwordEnvVarName(file.path)} is wrong`, err);
      default:
        throw usage(`the ${key} of wallet "${wallet.name}": ${err.message}`, err);
    }
  }
}

