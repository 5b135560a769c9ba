# Overlay of bittensor/__init__.py for the wallet interop harness. The real one imports the whole SDK
# (subtensor, axon, dendrite, torch, ...). This one keeps exactly the names that the real keyfile.py,
# wallet.py, utils/wallet_utils.py and commands/list.py use, with the same values as the real
# __init__ (`__ss58_format__ = 42`, the `defaults.wallet` values, `Keypair` = substrate-interface's),
# and a minimal `config` (the argparse → nested-attributes object wallet.config() builds).
import argparse
import copy
import io

from rich.console import Console

__console__ = Console(file=io.StringIO())
__ss58_format__ = 42

from substrateinterface import Keypair  # noqa: E402,F401

from .errors import KeyFileError  # noqa: E402,F401


class _Node(dict):
    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError as e:
            raise AttributeError(key) from e

    def __setattr__(self, key, value):
        self[key] = value

    def __deepcopy__(self, memo):
        return _Node({k: copy.deepcopy(v, memo) for k, v in self.items()})


def config(parser: argparse.ArgumentParser = None, args=None, strict=False):
    root = _Node()
    if parser is not None:
        for key, value in vars(parser.parse_args(args or [])).items():
            node = root
            parts = key.split(".")
            for part in parts[:-1]:
                node = node.setdefault(part, _Node())
            node[parts[-1]] = value
    return root


defaults = _Node(wallet=_Node(name="default", hotkey="default", path="~/.bittensor/wallets/"))

from . import utils  # noqa: E402,F401
from .keyfile import (  # noqa: E402,F401
    ask_password_to_encrypt,
    decrypt_keyfile_data,
    deserialize_keypair_from_keyfile_data,
    encrypt_keyfile_data,
    keyfile,
    keyfile_data_encryption_method,
    keyfile_data_is_encrypted,
    keyfile_data_is_encrypted_ansible,
    keyfile_data_is_encrypted_legacy,
    keyfile_data_is_encrypted_nacl,
    legacy_encrypt_keyfile_data,
    serialized_keypair_to_keyfile_data,
    validate_password,
)
from .wallet import display_mnemonic_msg, wallet  # noqa: E402,F401
