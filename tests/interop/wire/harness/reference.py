"""Loads the reference SDK's axon, dendrite, synapse, stream and tensor modules from a source checkout of
opentensor/bittensor, unmodified.

The SDK's package ``__init__`` imports the whole client (subtensor, metagraph, extrinsics) and its
dependencies include Rust extensions (bittensor-wallet, bt-decode, bittensor-drand) and chain codecs
(scalecodec, async-substrate-interface) that play no part in the axon⇄dendrite exchange. The harness
therefore:

- registers ``bittensor`` (and ``bittensor.core.chain_data``, ``bittensor.utils.btlogging``) as packages
  pointing at the source folders without running their ``__init__``; every module the wire code uses is
  then the reference file itself (``core/axon.py``, ``dendrite.py``, ``synapse.py``, ``stream.py``,
  ``tensor.py``, ``settings.py``, ``errors.py``, ``threadpool.py``, ``utils/__init__.py``,
  ``utils/networking.py``, ``chain_data/axon_info.py``, …);
- puts small stand-ins in ``sys.modules`` for what cannot be installed and is not on the wire: chain
  codecs (``scalecodec``: SS58 only, via the sr25519 worker), ``async_substrate_interface`` (its JSON
  library choice, ``hex_to_bytes`` and exception classes), config containers (``munch``), IP parsing
  (``netaddr``, over the standard ``ipaddress``) and the logging machine (``btlogging``, over the
  standard ``logging``);
- provides ``bittensor_wallet.Keypair`` with real sr25519 (``sr25519.py``).
"""

from __future__ import annotations

import importlib
import importlib.util
import ipaddress
import logging as std_logging
import os
import re
import sys
import tempfile
import types


def _module(name: str, **attributes) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


def _package(name: str, path: str, **attributes) -> types.ModuleType:
    module = _module(name, **attributes)
    module.__path__ = [path]
    return module


def _shim_wallet() -> None:
    from . import sr25519

    class KeyFileError(Exception):
        pass

    class PasswordError(Exception):
        pass

    wallet = _package("bittensor_wallet", "", Keypair=sr25519.Keypair, Wallet=sr25519.Wallet)
    wallet.errors = _module("bittensor_wallet.errors", KeyFileError=KeyFileError, PasswordError=PasswordError)
    wallet.utils = _module("bittensor_wallet.utils", SS58_FORMAT=42)


def _shim_substrate_interface() -> None:
    def import_json_lib():
        # async_substrate_interface.utils.import_json_lib: the first of these that imports.
        for lib in ("ujson", "orjson", "simplejson", "json"):
            try:
                return importlib.import_module(lib)
            except ImportError:
                continue
        raise ImportError("None of the specified JSON libraries are installed.")

    def hex_to_bytes(hex_str: str) -> bytes:
        return bytes.fromhex(hex_str[2:] if hex_str.startswith("0x") else hex_str)

    class SubstrateRequestException(Exception):
        pass

    class StorageFunctionNotFound(ValueError):
        pass

    class BlockNotFound(Exception):
        pass

    class ExtrinsicNotFound(Exception):
        pass

    package = _package("async_substrate_interface", "")
    package.utils = _module("async_substrate_interface.utils", json=import_json_lib(), hex_to_bytes=hex_to_bytes)
    package.errors = _module(
        "async_substrate_interface.errors",
        SubstrateRequestException=SubstrateRequestException,
        StorageFunctionNotFound=StorageFunctionNotFound,
        BlockNotFound=BlockNotFound,
        ExtrinsicNotFound=ExtrinsicNotFound,
    )


def _shim_scalecodec() -> None:
    from . import sr25519

    def ss58_decode(address: str, valid_ss58_format=None) -> str:
        return sr25519.worker().call("decode", address=address)["publicKey"]

    def ss58_encode(public_key, ss58_format: int = 42) -> str:
        key = public_key.hex() if isinstance(public_key, (bytes, bytearray)) else str(public_key).removeprefix("0x")
        return sr25519.worker().call("encode", publicKey=key, ss58Format=ss58_format)["address"]

    def is_valid_ss58_address(value: str, valid_ss58_format=None) -> bool:
        try:
            ss58_decode(value)
            return True
        except Exception:
            return False

    _module("scalecodec", ss58_decode=ss58_decode, ss58_encode=ss58_encode, is_valid_ss58_address=is_valid_ss58_address)


def _shim_munch() -> None:
    class Munch(dict):
        def __getattr__(self, key):
            if key.startswith("__"):
                raise AttributeError(key)
            try:
                return self[key]
            except KeyError:
                raise AttributeError(key) from None

        def __setattr__(self, key, value):
            self[key] = value

        def __delattr__(self, key):
            del self[key]

        def __deepcopy__(self, memo):
            import copy

            return type(self)({k: copy.deepcopy(v, memo) for k, v in self.items()})

        @classmethod
        def fromDict(cls, value):
            return munchify(value, cls)

    class DefaultMunch(Munch):
        def __getattr__(self, key):
            if key.startswith("__"):
                raise AttributeError(key)
            return self.get(key)

    def munchify(value, factory=Munch):
        if isinstance(value, dict):
            return factory({k: munchify(v, factory) for k, v in value.items()})
        if isinstance(value, list):
            return [munchify(v, factory) for v in value]
        return value

    _module("munch", Munch=Munch, DefaultMunch=DefaultMunch, munchify=munchify)


def _shim_netaddr() -> None:
    class AddrFormatError(ValueError):
        pass

    class IPAddress:
        def __init__(self, value):
            try:
                self._ip = ipaddress.ip_address(value)
            except ValueError as e:
                raise AddrFormatError(str(e)) from None

        @property
        def version(self) -> int:
            return self._ip.version

        def __int__(self) -> int:
            return int(self._ip)

        def __str__(self) -> str:
            return str(self._ip)

    netaddr = _module("netaddr", IPAddress=IPAddress, AddrFormatError=AddrFormatError)
    netaddr.core = _module("netaddr.core", AddrFormatError=AddrFormatError)


def _shim_btlogging(src: str) -> None:
    logger = std_logging.getLogger("bittensor")

    class LoggingMachine:
        """What the wire modules call on ``bittensor.logging``; everything goes to the standard logger."""

        __trace_on__ = False

        def trace(self, msg="", *args, **kwargs):
            logger.log(5, msg)

        def debug(self, msg="", *args, **kwargs):
            logger.debug(msg)

        def info(self, msg="", *args, **kwargs):
            logger.info(msg)

        def success(self, msg="", *args, **kwargs):
            logger.info(msg)

        def warning(self, msg="", *args, **kwargs):
            logger.warning(msg)

        def error(self, msg="", *args, **kwargs):
            logger.error(msg)

        def critical(self, msg="", *args, **kwargs):
            logger.critical(msg)

        def exception(self, msg="", *args, **kwargs):
            logger.exception(msg)

        def getLogger(self):
            return logger

    _package("bittensor.utils.btlogging", os.path.join(src, "bittensor", "utils", "btlogging"), logging=LoggingMachine(), LoggingMachine=LoggingMachine)


def _shim_torch_dtypes() -> None:
    """Only when torch is not installed: ``bt.Tensor`` validates its dtype against a table that always adds
    ``torch.float16`` … ``torch.bool`` (``tensor.py`` ``DTypes._add_torch``), so the reference cannot check
    any tensor without torch importable. The stand-in holds those nine names and nothing else; numpy
    still does all the (de)serialization, as the reference does when ``USE_TORCH`` is unset."""
    if importlib.util.find_spec("torch") is not None:
        return
    names = ("float16", "float32", "float64", "uint8", "int16", "int8", "int32", "int64", "bool")
    _module("torch", __interop_stand_in__=True, **{n: f"torch.{n}" for n in names})


def _distribution_metadata(src: str) -> None:
    """``settings.py`` reads ``importlib.metadata.version("bittensor")``: a dist-info for the source's version."""
    with open(os.path.join(src, "pyproject.toml"), encoding="utf-8") as f:
        match = re.search(r'^version\s*=\s*"([^"]+)"', f.read(), re.MULTILINE)
    if not match:
        raise RuntimeError(f"no version in {src}/pyproject.toml")
    site = tempfile.mkdtemp(prefix="interop-bittensor-meta-")
    info = os.path.join(site, f"bittensor-{match.group(1)}.dist-info")
    os.makedirs(info)
    with open(os.path.join(info, "METADATA"), "w", encoding="utf-8") as f:
        f.write(f"Metadata-Version: 2.1\nName: bittensor\nVersion: {match.group(1)}\n")
    sys.path.append(site)


class Reference(types.SimpleNamespace):
    pass


def load(src: str) -> Reference:
    """Imports the reference wire modules from ``src`` (the root of an opentensor/bittensor checkout)."""
    src = os.path.abspath(src)
    if not os.path.isfile(os.path.join(src, "bittensor", "core", "axon.py")):
        raise RuntimeError(f"{src} is not an opentensor/bittensor checkout (no bittensor/core/axon.py)")
    os.environ.setdefault("READ_ONLY", "1")  # settings.py would create ~/.bittensor otherwise
    _distribution_metadata(src)
    _shim_wallet()
    _shim_substrate_interface()
    _shim_scalecodec()
    _shim_munch()
    _shim_netaddr()
    _shim_torch_dtypes()
    root = _package("bittensor", os.path.join(src, "bittensor"))
    _shim_btlogging(src)
    chain_data = _package("bittensor.core.chain_data", os.path.join(src, "bittensor", "core", "chain_data"))

    from bittensor.core.chain_data.axon_info import AxonInfo

    chain_data.AxonInfo = AxonInfo
    import bittensor.utils.networking as networking

    # The dendrite asks public services for its external IP when built; offline, a fixed documentation address.
    networking.get_external_ip = lambda: "203.0.113.7"

    from bittensor.core import settings
    from bittensor.core.axon import Axon
    from bittensor.core.dendrite import Dendrite
    from bittensor.core.errors import SynapseException
    from bittensor.core.stream import StreamingSynapse
    from bittensor.core.synapse import Synapse, TerminalInfo
    from bittensor.core.tensor import Tensor

    root.__version__ = settings.__version__
    from . import sr25519

    return Reference(
        src=src,
        torch="stand-in (dtype names only)" if getattr(sys.modules.get("torch"), "__interop_stand_in__", False) else "real",
        version=settings.__version__,
        version_as_int=settings.version_as_int,
        Axon=Axon,
        AxonInfo=AxonInfo,
        Dendrite=Dendrite,
        Synapse=Synapse,
        StreamingSynapse=StreamingSynapse,
        SynapseException=SynapseException,
        TerminalInfo=TerminalInfo,
        Tensor=Tensor,
        Keypair=sr25519.Keypair,
        Wallet=sr25519.Wallet,
        munchify=sys.modules["munch"].munchify,
    )
