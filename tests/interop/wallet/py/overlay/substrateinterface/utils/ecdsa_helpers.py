# Overlay of substrate-interface's ECDSA helpers (Ethereum keys; needs eth-keys): never used by sr25519 wallets.
def _unused(*_a, **_k):
    raise NotImplementedError("ECDSA keys are not part of Bittensor wallets")


mnemonic_to_ecdsa_private_key = ecdsa_verify = ecdsa_sign = _unused
