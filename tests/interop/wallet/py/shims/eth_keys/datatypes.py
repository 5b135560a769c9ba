class PrivateKey:
    def __init__(self, *_a, **_k):
        raise NotImplementedError("ECDSA keys are not part of Bittensor wallets")


class Signature(PrivateKey):
    pass
