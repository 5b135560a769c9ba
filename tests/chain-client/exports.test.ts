/**
 * The chain client's public API is a contract: its export lists are pinned here, so an addition or
 * removal is a deliberate, reviewed change.
 */
import * as client from '../../chain-client';
import * as wallet from '../../chain-client/wallet';

test('default: chain-client exports', () => {
  expect(Object.keys(client).sort()).toEqual([
    'Balance', 'ChainClientError', 'DEFAULT_MAX_RECONNECT_DELAY_MS', 'DEFAULT_NETWORK', 'DEFAULT_NONCE_ATTEMPTS',
    'DEFAULT_RECONNECT_DELAY_MS', 'DEFAULT_TIMEOUT_MS', 'DEFAULT_WATCH_WAIT_MS', 'DispatchFailedError', 'EventMissingError', 'HYPERPARAMETERS',
    'InvalidParametersError', 'LEGACY_ERROR_NAMES', 'Metagraph', 'NETWORK_ENDPOINTS', 'NonceManager', 'OperationError', 'PoolRejectedError',
    'RAO_PER_TAO', 'Reconnector', 'RequestTimeoutError', 'RuntimeView', 'STORAGE_CHUNK', 'StorageWatch', 'TransactionDroppedError',
    'U16_MAX', 'UnsupportedRuntimeError', 'addStake', 'backoffDelay', 'becomeDelegate', 'buildCall', 'burnedRegister', 'chainAcceptsIp',
    'classifyPoolError', 'commitAndRevealWeights', 'commitWeights', 'connect', 'convertWeightsAndUidsForEmit',
    'describeArgs', 'describeDispatchError', 'getBalance', 'getChildkeyTake', 'getChildren', 'getDelegateTake',
    'getHotkeyOwner', 'getHyperparameters', 'getIdentity', 'getNetworkLockCost', 'getNetworks', 'getParents',
    'getPendingChildren', 'getStake', 'getSubnetIdentity', 'getTotalColdkeyStake', 'getTotalHotkeyStake', 'getUid', 'hasRuntimeApi', 'ipToInt',
    'ipToString', 'lowestPermitStake', 'metagraph', 'nextWeightsBlock', 'nonceManager', 'normalizeMaxWeight', 'pendingWeightCommits',
    'powRegister', 'powSeal', 'prepareWeights', 'processWeights', 'readPaths', 'readStorage', 'redactUrl', 'registerNetwork', 'registerNetworkCall',
    'remedyFor', 'removeStake', 'resolveNetwork', 'revealWeights', 'revealWindow', 'revokeChildren', 'rootRegister', 'rootWeightsCall',
    'roundHalfEven', 'runtimeFromMetadata', 'sealMeetsDifficulty', 'serveAxon', 'setChildkeyTake', 'setChildren',
    'setDelegateTake', 'setHyperparameter', 'setIdentity', 'setRootWeights', 'setSubnetIdentity',
    'setWeights', 'signingPair', 'solvePow', 'stakeCall', 'stateCall', 'storageItem', 'storageWatch', 'submit', 'transfer',
    'weightsCommitHash', 'withTimeout',
  ]);
});

test('default: chain-client/wallet exports', () => {
  expect(Object.keys(wallet).sort()).toEqual([
    'Keyfile', 'MIN_PASSWORD_LENGTH', 'MIN_PASSWORD_SCORE', 'NACL_PREFIX', 'NACL_SALT', 'SENSITIVE_KDF_LIMITS', 'SS58_FORMAT', 'Wallet', 'WalletError',
    'checkPasswordPolicy', 'decodeEnvPassword', 'decryptKeyfileData', 'deriveKey', 'encodeEnvPassword', 'encryptKeyfileData', 'encryptionMethod',
    'generateMnemonic', 'isEncrypted', 'keypairFromKeyfileData', 'keypairFromMnemonic', 'keypairFromPrivateKey', 'keypairFromPublic', 'keypairFromSeed',
    'keypairFromUri', 'messageBytes', 'parseKeyfileJson', 'passwordEnvVarName', 'passwordFromEnv', 'passwordStrength', 'publicData', 'signMessage',
    'verifyMessage', 'walletCryptoReady',
  ]);
});
