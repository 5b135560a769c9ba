"""The ``bittensor_wallet.Keypair`` / ``Wallet`` stand-ins of the interop harness.

bittensor-wallet is a Rust extension (schnorrkel via sp-core) that is not installable here; its Python
surface is small, and the reference axon and dendrite use four things of it: ``Keypair(ss58_address=...)``,
``.ss58_address``, ``.sign(data)`` and ``.verify(data, signature)``. This module reproduces those with the
argument handling of bittensor-wallet 4.0 (``src/python_bindings.rs``, ``src/keypair.rs``) and delegates the
cryptography to a persistent Node child (``sr25519-worker``) running @polkadot/util-crypto's sr25519,
whose wasm is compiled from the same schnorrkel crate. Signatures are real.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from typing import Optional, Union


class KeypairError(ValueError):
    pass


class _Worker:
    """One Node child for the whole process; requests are serialized (the axon verifies from its server thread)."""

    def __init__(self) -> None:
        command = os.environ.get("INTEROP_SR25519_WORKER")
        if not command:
            raise RuntimeError("INTEROP_SR25519_WORKER is not set (the path of the compiled sr25519-worker.js)")
        self._proc = subprocess.Popen(
            ["node", command], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self._lock = threading.Lock()
        self._next = 0
        ready = self._proc.stdout.readline()
        if not ready or not json.loads(ready).get("ready"):
            raise RuntimeError(f"the sr25519 worker did not start: {ready!r}")
        self.calls = {"sign": 0, "verify_true": 0, "verify_false": 0}

    def call(self, op: str, **fields) -> dict:
        with self._lock:
            self._next += 1
            self._proc.stdin.write(json.dumps({"id": self._next, "op": op, **fields}) + "\n")
            self._proc.stdin.flush()
            line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("the sr25519 worker exited")
        answer = json.loads(line)
        if not answer.get("ok"):
            raise KeypairError(answer.get("error", "sr25519 worker error"))
        return answer

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait(timeout=5)


_worker: Optional[_Worker] = None


def worker() -> _Worker:
    global _worker
    if _worker is None:
        _worker = _Worker()
    return _worker


def _data_bytes(data: Union[str, bytes], what: str) -> bytes:
    # As bittensor-wallet: a str starting with 0x is hex, any other str UTF-8; bytes as they are.
    if isinstance(data, str):
        if data.startswith("0x"):
            try:
                return bytes.fromhex(data[2:])
            except ValueError as e:
                raise KeypairError(f"Invalid hex string: {e}") from None
        return data.encode()
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    scale = getattr(data, "data", None)
    if isinstance(scale, (bytes, bytearray)):
        return bytes(scale)
    raise KeypairError(f"Keypair::{what}: Unsupported data format. Expected str or bytes.")


class Keypair:
    """sr25519 only (crypto type 1), SS58 format 42, as the reference hotkeys."""

    def __init__(self, ss58_address: Optional[str] = None, public_key: Union[str, bytes, None] = None, ss58_format: int = 42, crypto_type: int = 1) -> None:
        if crypto_type != 1:
            raise KeypairError("Crypto type not supported.")
        if public_key is not None:
            key = public_key[2:] if isinstance(public_key, str) and public_key.startswith("0x") else public_key
            self._public = bytes.fromhex(key) if isinstance(key, str) else bytes(key)
            self._address = worker().call("encode", publicKey=self._public.hex(), ss58Format=ss58_format)["address"]
        elif ss58_address is not None:
            self._address = ss58_address
            self._public = bytes.fromhex(worker().call("decode", address=ss58_address)["publicKey"])
        else:
            raise KeypairError("No SS58 formatted address or public key provided.")
        self._can_sign = False

    @classmethod
    def create_from_uri(cls, uri: str) -> "Keypair":
        answer = worker().call("fromUri", uri=uri)
        keypair = cls(public_key=answer["publicKey"])
        keypair._can_sign = True
        return keypair

    @property
    def ss58_address(self) -> str:
        return self._address

    @property
    def public_key(self) -> bytes:
        return self._public

    def sign(self, data: Union[str, bytes]) -> bytes:
        if not self._can_sign:
            raise KeypairError("No private key set to create signatures")
        w = worker()
        w.calls["sign"] += 1
        return bytes.fromhex(w.call("sign", address=self._address, message=_data_bytes(data, "sign").hex())["signature"])

    def verify(self, data: Union[str, bytes], signature: Union[str, bytes]) -> bool:
        message = _data_bytes(data, "verify")
        if isinstance(signature, str):
            if not signature.startswith("0x"):
                raise KeypairError("Invalid signature format. Expected hex string.")
            try:
                signature_bytes = bytes.fromhex(signature[2:])
            except ValueError as e:
                raise KeypairError(f"Invalid hex string: {e}") from None
        elif isinstance(signature, (bytes, bytearray)):
            signature_bytes = bytes(signature)
        else:
            raise KeypairError("Unsupported signature format. Expected str or bytes.")
        w = worker()
        # As bittensor-wallet: the bytes as given, then wrapped in <Bytes>…</Bytes>.
        for candidate in (message, b"<Bytes>" + message + b"</Bytes>"):
            if w.call("verify", publicKey=self._public.hex(), message=candidate.hex(), signature=signature_bytes.hex())["valid"]:
                w.calls["verify_true"] += 1
                return True
        w.calls["verify_false"] += 1
        return False

    def __repr__(self) -> str:
        return f"<Keypair (address={self._address})>"


class Wallet:
    """The two attributes the reference axon reads of a wallet: its hotkey and coldkey public key."""

    def __init__(self, hotkey: Optional[Keypair] = None, coldkeypub: Optional[Keypair] = None, **_ignored) -> None:
        if hotkey is None:
            raise KeypairError("the interop harness builds wallets from an explicit hotkey")
        self.hotkey = hotkey
        self.coldkeypub = coldkeypub or hotkey
