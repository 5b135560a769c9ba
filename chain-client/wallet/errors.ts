/**
 * Typed wallet errors.
 */
import { TensornetError } from '../../common/errors';

/**
 * - `KeyfileNotFound`: no file at the keyfile's path.
 * - `KeyfileExists`: refusing to overwrite an existing keyfile (pass `overwrite: true`).
 * - `InvalidKeyfile`: the file's content is not a keyfile (bad JSON, missing or malformed keys, `crypto_type` ≠ 1).
 * - `WrongPassword`: decryption failed (wrong password or a corrupted file).
 * - `PasswordRequired`: the keyfile is encrypted and neither a password nor its `BT_PW_…` variable was given.
 * - `WeakPassword`: a new keyfile password fails the reference policy (fewer than 6 UTF-8 bytes or strength score < 20).
 * - `UnsupportedEncryption`: a legacy (Ansible Vault, Fernet) or unknown encryption format, which tensornet does not decrypt.
 * - `InvalidMnemonic` / `InvalidSeed` / `InvalidUri`: a key source that does not parse.
 */
export type WalletErrorCode =
  | 'KeyfileNotFound'
  | 'KeyfileExists'
  | 'InvalidKeyfile'
  | 'WrongPassword'
  | 'PasswordRequired'
  | 'WeakPassword'
  | 'UnsupportedEncryption'
  | 'InvalidMnemonic'
  | 'InvalidSeed'
  | 'InvalidUri';

/** A wallet or keyfile error. Messages never contain secrets. */
export class WalletError<Code extends WalletErrorCode = WalletErrorCode> extends TensornetError<Code> {}
