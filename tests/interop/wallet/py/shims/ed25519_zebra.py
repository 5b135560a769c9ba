"""Stand-in for py-ed25519-zebra-bindings: Bittensor wallets are sr25519 only, so any use is a harness error."""


def _unused(*_a, **_k):
    raise NotImplementedError("ed25519 keys are not part of Bittensor wallets")


ed_from_seed = ed_sign = ed_verify = _unused
