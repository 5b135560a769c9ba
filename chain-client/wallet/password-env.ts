/**
 * Headless unlock (docs/wallets.md): a keyfile's password may be given in an environment variable
 * named `BT_PW_` + the keyfile path with separators and `.` replaced by `_`, upper-cased; its value is
 * base64 of the password XOR-ed byte-wise with the variable's name (repeated as needed).
 */

/** The environment variable holding the password of the keyfile at `keyfilePath` (an absolute path). */
export function passwordEnvVarName(keyfilePath: string): string {
  return `BT_PW_${keyfilePath.replace(/[/\\.]/g, '_').toUpperCase()}`;
}

function xorWithName(bytes: Uint8Array, name: string): Uint8Array {
  const key = Buffer.from(name, 'utf8');
  return bytes.map((b, i) => b ^ key[i % key.length]!);
}

/** The value to store in `passwordEnvVarName(path)` for `password`. */
export function encodeEnvPassword(varName: string, password: string): string {
  return Buffer.from(xorWithName(Buffer.from(password, 'utf8'), varName)).toString('base64');
}

/** The password stored in an environment variable's value. */
export function decodeEnvPassword(varName: string, value: string): string {
  return Buffer.from(xorWithName(Buffer.from(value, 'base64'), varName)).toString('utf8');
}

/** The password for `keyfilePath` from `env`, or undefined when its variable is unset. */
export function passwordFromEnv(keyfilePath: string, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const name = passwordEnvVarName(keyfilePath);
  const value = env[name];
  return value === undefined || value === '' ? undefined : decodeEnvPassword(name, value);
}
