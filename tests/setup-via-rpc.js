// The `rpc` jest project: TestChain routes every call through @polkadot/api and JSON-RPC.
process.env.TENSORNET_TEST_VIA_RPC = '1';
