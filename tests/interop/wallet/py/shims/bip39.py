"""Stand-in for py-bip39-bindings (the `bip39` Rust extension); English word list only, as the wallet code uses."""
from _tn_native import call


def _english(language_code):
    if language_code not in (None, "en"):
        raise ValueError("only English mnemonics are supported here")


def bip39_generate(words, language_code="en"):
    _english(language_code)
    return call("bip39_generate", words=int(words))


def bip39_validate(mnemonic, language_code="en"):
    _english(language_code)
    return bool(call("bip39_validate", mnemonic=mnemonic))


def bip39_to_mini_secret(mnemonic, password, language_code="en"):
    _english(language_code)
    # py-bip39-bindings returns a list of ints (Rust Vec<u8>); substrate-interface wraps it in bytearray().
    return list(bytes.fromhex(call("bip39_to_mini_secret", mnemonic=mnemonic, password=password)))
