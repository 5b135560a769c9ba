"""Bridge to tests/interop/wallet/sr25519-server (Node, @polkadot/util-crypto): one JSON line per call.

Used only by the `sr25519` and `bip39` shims, which stand in for the Rust extensions
py-sr25519-bindings and py-bip39-bindings (not in the package mirror)."""
import atexit
import json
import os
import subprocess
import threading

_lock = threading.Lock()
_proc = None
_next_id = 0


def _server():
    global _proc
    if _proc is None:
        cmd = json.loads(os.environ["TN_INTEROP_SR25519_SERVER"])
        _proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        atexit.register(_close)
    return _proc


def _close():
    if _proc is not None and _proc.poll() is None:
        _proc.stdin.close()
        _proc.wait(timeout=10)


def call(op, **args):
    global _next_id
    with _lock:
        proc = _server()
        _next_id += 1
        proc.stdin.write(json.dumps({"id": _next_id, "op": op, **args}) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
    if not line:
        raise RuntimeError("sr25519 server exited")
    reply = json.loads(line)
    if reply.get("id") != _next_id:
        raise RuntimeError("sr25519 server answered out of order")
    if "error" in reply:
        raise ValueError(reply["error"])
    return reply["result"]
