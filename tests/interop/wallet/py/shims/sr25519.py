"""Stand-in for py-sr25519-bindings (the `sr25519` Rust extension), same signatures and byte forms:
secret keys are schnorrkel `SecretKey::to_bytes` (64 bytes), public keys 32 bytes, signatures 64 bytes.
Every call is done by @polkadot/util-crypto in the Node sr25519 server."""
from _tn_native import call


def _b(x):
    return bytes(x).hex()


def pair_from_seed(seed):
    pub, sec = call("pair_from_seed", seed=_b(seed))
    return bytes.fromhex(pub), bytes.fromhex(sec)


def public_from_secret_key(secret_key):
    return bytes.fromhex(call("public_from_secret_key", secret=_b(secret_key)))


def sign(keypair, message):
    pub, sec = keypair
    if isinstance(message, str):
        message = message.encode()
    return bytes.fromhex(call("sign", public=_b(pub), secret=_b(sec), message=_b(message)))


def verify(signature, message, pubkey):
    if isinstance(message, str):
        message = message.encode()
    return bool(call("verify", signature=_b(signature), message=_b(message), public=_b(pubkey)))


def _derive(op, extended_keypair, id):
    cc, pub, sec = extended_keypair
    out = call(op, chain_code=_b(cc), public=_b(pub), secret=_b(sec), derive_id=_b(id))
    return tuple(bytes.fromhex(x) for x in out)


def hard_derive_keypair(extended_keypair, id):
    return _derive("hard_derive_keypair", extended_keypair, id)


def derive_keypair(extended_keypair, id):
    return _derive("derive_keypair", extended_keypair, id)


def pair_from_ed25519_secret_key(secret_key):
    raise NotImplementedError("polkadot-js encrypted JSON is not exercised by the wallet interop harness")


def convert_secret_key_to_ed25519(secret_key):
    raise NotImplementedError("polkadot-js encrypted JSON is not exercised by the wallet interop harness")
