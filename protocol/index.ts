/**
 * The axon ⇄ dendrite wire protocol of the reference Bittensor SDK (10.2), shared by miners (axon) and
 * validators (dendrite): synapse definitions, Python `str()` body hashing, signatures, request building.
 * Facts and deviations: docs/wire-protocol.md.
 */
export { ProtocolError, type ProtocolErrorCode } from './errors';
export * from './python-repr';
export { BASE_SYNAPSE_FIELDS, PING_SYNAPSE, defineSynapse, inputObjHeadersOf, type SynapseDefinition, type SynapseRequest, type SynapseResponse, type SynapseSpec } from './synapse';
export { requestMessage, signRequest, timeNs, uuid1, verifyRequest, versionAsInt, type SignedFields } from './signing';
export { EMPTY_TERMINAL_INFO, TERMINAL_INFO_FIELDS, terminalInfo, terminalInfoHeaders, terminalInfoJson, type TerminalInfo } from './terminal-info';
export { DEFAULT_TIMEOUT_S, PROTOCOL_VERSION, buildRequest, synapseJson, type AxonTarget, type BuildRequestParameters, type SignedRequest, type SynapseJsonParts } from './request';
export { TENSOR_DTYPES, btTensor, decodeTensor, encodeTensor, type BtTensor, type RawTensor, type TensorDtype } from './tensor';
