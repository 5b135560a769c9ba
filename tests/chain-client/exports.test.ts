/**
 * The chain client's public API is a contract: its export lists are pinned here, so an addition or
 * removal is a deliberate, reviewed change.
 */
import * as client from '../../chain-client';
import * as wallet from '../../chain-client/wallet';

test('default: chain-client exports', () => {
  expect(Object.keys(client).sort()).toEqual([
    'Balance', 'ChainClientError', 'DEFAULT_MAX_RECONNECT_DELAY_MS', 'DEFAULT_NETWORK', 'DEFAULT_NONCE_ATTEMPTS',
    'DEFAULT_RECONNECT_DELAY_MS', 'DEFAULT_TIMEOUT_MS', 'DispatchFailedError', 'HYPERPARAMETERS',
    'InvalidParametersError', 'Metagraph', 'NETWORK_ENDPOINTS', 'NonceManager', 'OperationError', 'PoolRejectedError',
    'RAO_PER_TAO', 'Reconnector', 'RequestTimeoutError', 'RuntimeView', 'STORAGE_CHUNK', 'TransactionDroppedError',
    'U16_MAX', 'UnsupportedRuntimeError', 'addStake', 'backoffDelay', 'becomeDelegate', 'buildCall', 'burnedRegister',
    'classifyPoolError', 'commitAndRevealWeights', 'commitWeights', 'connect', 'convertWeightsAndUidsForEmit',
    'describeArgs', 'describeDispatchError', 'getBalance', 'getDelegateTake', 'getHotkeyOwner', 'getHyperparameters',
    'getNetworkLockCost', 'getNetworks', 'getStake', 'getTotalColdkeyStake', 'getTotalHotkeyStake', 'getUid', 'ipToInt',
    'ipToString', 'lowestPermitStake', 'metagraph', 'nextWeightsBlock', 'nonceManager', 'normalizeMaxWeight',
    'powRegister', 'powSeal', 'prepareWeights', 'processWeights', 'readStorage', 'redactUrl', 'registerNetwork',
    'remedyFor', 'removeStake', 'resolveNetwork', 'revealWeights', 'revealWindow', 'rootRegister', 'rootWeightsCall',
    'roundHalfEven', 'runtimeFromMetadata', 'sealMeetsDifficulty', 'serveAxon', 'setDelegateTake', 'setHyperparameter',
    'setRootWeights', 'setWeights', 'signingPair', 'solvePow', 'stakeCall', 'storageItem', 'submit', 'transfer',
    'weightsCommitHash', 'withTimeout',
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
