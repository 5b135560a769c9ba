/**
 * Bittensor-compatible wallets: keypairs, keyfiles (plaintext and NaCl), headless unlock and the on-disk layout.
 */
export { WalletError, type WalletErrorCode } from './errors';
export {
  NACL_PREFIX, NACL_SALT, SENSITIVE_KDF_LIMITS, decryptKeyfileData, deriveKey, encryptKeyfileData, encryptionMethod, isEncrypted,
  type EncryptionMethod, type EncryptionOptions, type KdfLimits,
} from './encryption';
export { Keyfile, parseKeyfileJson, type UnlockOptions, type WriteOptions } from './keyfile';
export {
  SS58_FORMAT, generateMnemonic, keypairFromKeyfileData, keypairFromMnemonic, keypairFromPrivateKey, keypairFromPublic, keypairFromSeed,
  keypairFromUri, publicData, walletCryptoReady, type KeyfileData, type Keypair,
} from './keypair';
export { decodeEnvPassword, encodeEnvPassword, passwordEnvVarName, passwordFromEnv } from './password-env';
export { MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE, checkPasswordPolicy, passwordStrength } from './password-policy';
export { Wallet, type CreateKeyOptions, type CreatedKey, type KeySource, type WalletOptions } from './wallet';
export { messageBytes, signMessage, verifyMessage } from './sign';
