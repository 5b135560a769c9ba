"""Stand-in for eth-keys: only ECDSA (Ethereum) keypairs use it, never Bittensor wallets."""
