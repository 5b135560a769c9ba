/**
 * The chain client's public API is a contract: its export lists are pinned here, so an addition or
 * removal is a deliberate, reviewed change.
 */
import * as client from '../../chain-client';
import * as wallet from '../../chain-client/wallet';

test('default: chain-client exports', () => {
  expect(Object.keys(client).sort()).toEqual([
    'Balance', 'ChainClientError', 'DEFAULT_MAX_RECONNECT_DELAY_MS', 'DEFAULT_NETWORK', 'DEFAULT_RECONNECT_DELAY_MS', 'DEFAULT_TIMEOUT_MS', 'Metagraph', 'NETWORK_ENDPOINTS',
    'RAO_PER_TAO', 'Reconnector', 'RequestTimeoutError', 'RuntimeView', 'STORAGE_CHUNK', 'UnsupportedRuntimeError', 'backoffDelay', 'connect', 'describeArgs', 'ipToString',
    'metagraph', 'readStorage', 'redactUrl', 'resolveNetwork', 'runtimeFromMetadata', 'storageItem', 'withTimeout',
  ]);
});

test('default: chain-client/wallet exports', () => {
  expect(Object.keys(wallet).sort()).toEqual([
    'Keyfile', 'NACL_PREFIX', 'NACL_SALT', 'SENSITIVE_KDF_LIMITS', 'SS58_FORMAT', 'Wallet', 'WalletError', 'decodeEnvPassword', 'decryptKeyfileData',
    'deriveKey', 'encodeEnvPassword', 'encryptKeyfileData', 'encryptionMethod', 'generateMnemonic', 'isEncrypted', 'keypairFromKeyfileData',
    'keypairFromMnemonic', 'keypairFromPrivateKey', 'keypairFromPublic', 'keypairFromSeed', 'keypairFromUri', 'messageBytes', 'parseKeyfileJson',
    'passwordEnvVarName', 'passwordFromEnv', 'publicData', 'signMessage', 'verifyMessage', 'walletCryptoReady',
  ]);
});
