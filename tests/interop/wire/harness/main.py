"""The Python side of the wire interop run (driven by ``tests/interop/wire/driver.ts``).

    python -m harness dendrite CONFIG.json   # the reference Dendrite queries a tensornet axon
    python -m harness axon CONFIG.json       # the reference Axon serves until stdin closes

Every line written to stdout is one JSON object: ``{"check", "ok", "detail"}`` per check, ``{"ready", ...}``
when the axon listens, ``{"report", ...}`` when it stops, ``{"done": true}`` at the end. Diagnostics go to
stderr.
"""

import asyncio
import base64
import hashlib
import json
import logging
import socket
import sys
import time
import traceback
from typing import Any, ClassVar, Optional, Tuple

from . import reference

REF: Any = None


def emit(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields, default=str) + "\n")
    sys.stdout.flush()


def check(name: str, ok: bool, detail: str = "") -> bool:
    emit(check=name, ok=bool(ok), detail=detail)
    return bool(ok)


def synapses(ref: Any) -> dict:
    """The Python classes mirroring tensornet's synapses (see docs/wire-protocol.md, "Python counterparts")."""
    Synapse, StreamingSynapse, Tensor = ref.Synapse, ref.StreamingSynapse, ref.Tensor

    class DigitClassification(Synapse):
        # A bt.Tensor input must have a default: the reference axon builds the synapse from the headers
        # first, and neither a missing required field nor the `{}` its input_obj header carries validates.
        image: Optional[Tensor] = None
        probabilities: Optional[list[float]] = None
        model_sha256: Optional[str] = None
        required_hash_fields: ClassVar[tuple[str, ...]] = ("image",)

    class Slow(Synapse):
        seconds: float
        done: Optional[bool] = None
        required_hash_fields: ClassVar[tuple[str, ...]] = ("seconds",)

    class Explode(Synapse):
        reason: str
        required_hash_fields: ClassVar[tuple[str, ...]] = ("reason",)

    class Unknown(Synapse):
        anything: int
        required_hash_fields: ClassVar[tuple[str, ...]] = ("anything",)

    class Tokens(StreamingSynapse):
        n: int
        text: Optional[str] = None
        required_hash_fields: ClassVar[tuple[str, ...]] = ("n",)

        async def process_streaming_response(self, response):
            # As the reference subnet template: UTF-8 text chunks as they arrive.
            parts = []
            async for chunk in response.content.iter_any():
                piece = chunk.decode("utf-8")
                parts.append(piece)
                yield piece
            self.text = "".join(parts)

        def extract_response_json(self, response) -> dict:
            headers = {k.decode("utf-8"): v.decode("utf-8") for k, v in response.__dict__["_raw_headers"]}

            def info(prefix: str) -> dict:
                return {k[len(prefix):]: v for k, v in headers.items() if k.startswith(prefix)}

            return {"name": headers.get("name", ""), "timeout": float(headers.get("timeout", 0)), "dendrite": info("bt_header_dendrite_"), "axon": info("bt_header_axon_"), "n": self.n, "text": self.text}

        def deserialize(self):
            return self.text

    class DigitSequence(StreamingSynapse):
        # tensornet's digit-sequence subnet: the miner streams one JSON line per digit.
        image: Optional[Tensor] = None
        digits: Optional[str] = None
        probabilities: Optional[list[list[float]]] = None
        required_hash_fields: ClassVar[tuple[str, ...]] = ("image",)

        async def process_streaming_response(self, response):
            pending = b""
            chunks = []
            async for piece in response.content.iter_any():
                pending += piece
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    if line.strip():
                        chunk = json.loads(line)
                        chunks.append(chunk)
                        yield chunk
            self.digits = "".join(str(c["digit"]) for c in chunks)
            self.probabilities = [c["probabilities"] for c in chunks]

        def extract_response_json(self, response) -> dict:
            headers = {k.decode("utf-8"): v.decode("utf-8") for k, v in response.__dict__["_raw_headers"]}

            def info(prefix: str) -> dict:
                return {k[len(prefix):]: v for k, v in headers.items() if k.startswith(prefix)}

            return {"name": headers.get("name", ""), "timeout": float(headers.get("timeout", 0)), "dendrite": info("bt_header_dendrite_"), "axon": info("bt_header_axon_"), "image": self.image, "digits": self.digits, "probabilities": self.probabilities}

    return {"DigitClassification": DigitClassification, "Slow": Slow, "Explode": Explode, "Unknown": Unknown, "Tokens": Tokens, "DigitSequence": DigitSequence}


def status_of(syn: Any) -> str:
    d, a = syn.dendrite, syn.axon
    return f"dendrite.status_code={d.status_code!r} dendrite.status_message={d.status_message!r} axon.status_code={a.status_code!r}"


def _int(value: Any) -> Optional[int]:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ----------------------------------------------------------------------------------------------------
# Direction 1: the reference Dendrite → a tensornet axon


async def run_dendrite(config: dict) -> None:
    ref = REF
    classes = synapses(ref)
    DigitClassification, Slow, Explode, Unknown, Tokens = (classes[k] for k in ("DigitClassification", "Slow", "Explode", "Unknown", "Tokens"))
    import numpy as np

    target_cfg = config["axon"]
    target = ref.AxonInfo(version=ref.version_as_int, ip=target_cfg["ip"], port=target_cfg["port"], ip_type=4, hotkey=target_cfg["hotkey"], coldkey=target_cfg["hotkey"])
    validator = ref.Keypair.create_from_uri(config["validatorUri"])
    check("keys: the worker derives the validator hotkey tensornet registered", validator.ss58_address == config["validatorHotkey"], f"{validator.ss58_address} vs {config['validatorHotkey']}")
    dendrite = ref.Dendrite(wallet=validator)

    # Ping: the base Synapse on /Synapse.
    ping = await dendrite.call(target, ref.Synapse(), timeout=12.0, deserialize=False)
    check(
        "ping /Synapse: 200 and Success by the reference dendrite's rules",
        ping.is_success and ping.dendrite.status_code == 200 and ping.axon.status_code == 200 and ping.axon.status_message == "Success",
        status_of(ping),
    )
    check(
        "ping: axon hotkey, process_time and the signed nonce come back",
        ping.axon.hotkey == target_cfg["hotkey"] and float(ping.axon.process_time) >= 0 and float(ping.dendrite.process_time) > 0 and ping.dendrite.nonce is not None,
        f"axon.hotkey={ping.axon.hotkey} axon.process_time={ping.axon.process_time!r} dendrite.process_time={ping.dendrite.process_time!r}",
    )

    # The digits synapse: a real image, the real model on the tensornet side.
    digits = config["digits"]
    image = np.frombuffer(base64.b64decode(digits["image"]), dtype=np.float32).reshape(digits["shape"])
    request = DigitClassification(image=ref.Tensor.serialize(image))
    signed_hash = request.body_hash
    answer = await dendrite.forward(target, request, timeout=12.0, deserialize=False)
    check("digits: 200 and Success", answer.is_success and answer.dendrite.status_code == 200 and answer.axon.status_code == 200, status_of(answer))
    probabilities = answer.probabilities or []
    expected = digits["probabilities"]
    worst = max((abs(p - q) for p, q in zip(probabilities, expected)), default=float("inf"))
    check("digits: the probabilities deserialize and equal the tensornet engine's (|Δ| ≤ 1e-6)", len(probabilities) == 10 and worst <= 1e-6, f"{len(probabilities)} values, max |Δ| {worst:.3g}")
    check("digits: model_sha256 is the served model's", answer.model_sha256 == digits["modelSha256"], f"{answer.model_sha256}")
    echoed = answer.image.deserialize() if answer.image is not None else None
    check("digits: the echoed image tensor deserializes to the sent pixels", echoed is not None and echoed.shape == image.shape and echoed.dtype == image.dtype and np.array_equal(echoed, image), f"{None if echoed is None else (echoed.dtype, echoed.shape)}")
    check("digits: the answer hashes to the signed body hash", answer.body_hash == signed_hash, f"{answer.body_hash} vs {signed_hash}")
    check("digits: axon.process_time and dendrite.process_time are set", float(answer.axon.process_time) >= 0 and float(answer.dendrite.process_time) > 0, f"{answer.axon.process_time!r} {answer.dendrite.process_time!r}")

    # Several calls in a row from one dendrite (one uuid, increasing nonces).
    repeats = []
    for _ in range(3):
        again = await dendrite.forward(target, DigitClassification(image=ref.Tensor.serialize(image)), timeout=12.0, deserialize=False)
        repeats.append(again.dendrite.status_code)
    check("digits: three more calls in a row from the same dendrite all succeed", repeats == [200, 200, 200], f"{repeats}")

    # A class declaring the tensor required (the reference dendrite then sends the `{}` input_obj header).
    class DigitClassificationRequired(ref.Synapse):
        image: ref.Tensor
        probabilities: Optional[list[float]] = None
        model_sha256: Optional[str] = None
        required_hash_fields: ClassVar[tuple[str, ...]] = ("image",)

    DigitClassificationRequired.__name__ = "DigitClassification"
    required = await dendrite.forward(target, DigitClassificationRequired(image=ref.Tensor.serialize(image)), timeout=12.0, deserialize=False)
    check("digits: a class declaring `image: bt.Tensor` required works too (tensornet ignores its `{}` input_obj header)", required.is_success and required.probabilities is not None, status_of(required))

    # deserialize=True returns what Synapse.deserialize gives (the synapse itself by default).
    plain = await dendrite.forward(target, DigitClassification(image=ref.Tensor.serialize(image)), timeout=12.0)
    check("digits: forward(deserialize=True) returns the filled synapse", isinstance(plain, DigitClassification) and plain.probabilities is not None, type(plain).__name__)

    # Refusals, as the reference dendrite maps them.
    stranger = ref.Dendrite(wallet=ref.Keypair.create_from_uri(config["strangerUri"]))
    refused = await stranger.forward(target, DigitClassification(image=ref.Tensor.serialize(image)), timeout=12.0, deserialize=False)
    check(
        "refusal: an unregistered hotkey gets 403 'Forbidden. Key is blacklisted: …' (is_blacklist)",
        refused.is_blacklist and refused.axon.status_code == 403 and str(refused.dendrite.status_message).startswith("Forbidden. Key is blacklisted"),
        status_of(refused),
    )
    await stranger.aclose_session()

    unknown = await dendrite.forward(target, Unknown(anything=1), timeout=12.0, deserialize=False)
    check(
        "refusal: an unknown synapse gets 404 naming the available synapses",
        _int(unknown.dendrite.status_code) == 404 and "Synapse name 'Unknown' not found" in str(unknown.dendrite.status_message),
        status_of(unknown),
    )

    other = ref.AxonInfo(version=ref.version_as_int, ip=target_cfg["ip"], port=target_cfg["port"], ip_type=4, hotkey=config["otherHotkey"], coldkey=config["otherHotkey"])
    wrong = await dendrite.forward(other, DigitClassification(image=ref.Tensor.serialize(image)), timeout=12.0, deserialize=False)
    check(
        "refusal: a request signed for another axon gets 401 (failed_verification)",
        wrong.failed_verification and str(wrong.dendrite.status_message).startswith("Not Verified with error:"),
        status_of(wrong),
    )

    class DigitClassificationPartialHash(DigitClassification):
        required_hash_fields: ClassVar[tuple[str, ...]] = ()

    DigitClassificationPartialHash.__name__ = "DigitClassification"
    partial = await dendrite.forward(target, DigitClassificationPartialHash(image=ref.Tensor.serialize(image)), timeout=12.0, deserialize=False)
    check(
        "refusal: a class hashing fewer fields than tensornet's gets 400 'Hash mismatch …'",
        _int(partial.dendrite.status_code) == 400 and "Hash mismatch" in str(partial.dendrite.status_message),
        status_of(partial),
    )

    slow = await dendrite.forward(target, Slow(seconds=30.0), timeout=1.0, deserialize=False)
    check("refusal: a handler running past the timeout ends as 408 (is_timeout)", slow.is_timeout, status_of(slow))

    boom = await dendrite.forward(target, Explode(reason="interop"), timeout=12.0, deserialize=False)
    check(
        "refusal: a failing handler gets 500 'Internal Server Error #<id>'",
        _int(boom.dendrite.status_code) == 500 and str(boom.dendrite.status_message).startswith("Internal Server Error #"),
        status_of(boom),
    )

    # Streaming: the reference StreamingSynapse through call_stream.
    tokens_cfg = config["tokens"]
    chunks = []
    final = None
    async for item in dendrite.call_stream(target, Tokens(n=tokens_cfg["n"]), timeout=12.0, deserialize=False):
        if isinstance(item, Tokens):
            final = item
        else:
            chunks.append(item)
    text = "".join(chunks)
    check("stream: call_stream yields the chunks tensornet streamed", text == tokens_cfg["expected"], f"{text!r}")
    check(
        "stream: the final synapse is a success by the reference rules",
        final is not None and final.is_success and final.text == tokens_cfg["expected"],
        "no final synapse" if final is None else status_of(final),
    )

    # A real streaming subnet: digit-sequence on the digits model, one JSON line per digit.
    sequence_cfg = config["digitSequence"]
    DigitSequence = classes["DigitSequence"]
    received = []
    last = None
    async for item in dendrite.call_stream(target, DigitSequence(image=ref.Tensor(**sequence_cfg["image"])), timeout=12.0, deserialize=False):
        if isinstance(item, DigitSequence):
            last = item
        else:
            received.append(item)
    check(
        "digit-sequence stream: the reference dendrite reads the same digit chunks as tensornet's dendrite",
        received == sequence_cfg["chunks"] and len(received) >= 1,
        f"{len(received)} chunks vs {len(sequence_cfg['chunks'])}",
    )
    check(
        "digit-sequence stream: the final synapse succeeds with the same digit string",
        last is not None and last.is_success and last.digits == sequence_cfg["digits"],
        "no final synapse" if last is None else f"{status_of(last)} digits={last.digits!r} vs {sequence_cfg['digits']!r}",
    )

    await dendrite.aclose_session()


# ----------------------------------------------------------------------------------------------------
# Direction 2: the reference Axon, served to tensornet's dendrite


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_axon(config: dict) -> None:
    ref = REF
    classes = synapses(ref)
    DigitClassification, Slow, Tokens = classes["DigitClassification"], classes["Slow"], classes["Tokens"]
    import numpy as np
    import onnxruntime

    model_path = config["modelPath"]
    with open(model_path, "rb") as f:
        model_sha256 = hashlib.sha256(f.read()).hexdigest()
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    allowed = set(config["allowedHotkeys"])
    seen = {"forward": 0, "verified": 0, "verify_failures": [], "blacklisted": 0, "streamed": 0}

    def forward_digits(synapse: DigitClassification) -> DigitClassification:
        seen["forward"] += 1
        pixels = synapse.image.deserialize().astype(np.float32).reshape(1, -1)
        (probabilities,) = session.run(["probabilities"], {input_name: pixels})
        synapse.probabilities = [float(p) for p in probabilities.reshape(-1)]
        synapse.model_sha256 = model_sha256
        return synapse

    def blacklist_digits(synapse: DigitClassification) -> Tuple[bool, str]:
        if synapse.dendrite.hotkey not in allowed:
            seen["blacklisted"] += 1
            return True, f"Unrecognized hotkey {synapse.dendrite.hotkey}"
        return False, "Hotkey recognized!"

    def priority_digits(synapse: DigitClassification) -> float:
        return 1.0

    async def forward_slow(synapse: Slow) -> Slow:
        await asyncio.sleep(synapse.seconds)
        synapse.done = True
        return synapse

    def forward_tokens(synapse: Tokens) -> ref.StreamingSynapse.BTStreamingResponse:
        async def streamer(send):
            for i in range(synapse.n):
                await send({"type": "http.response.body", "body": f"token-{i}\n".encode(), "more_body": True})
            seen["streamed"] += 1

        return synapse.create_streaming_response(streamer)

    port = config.get("port") or free_port()
    hotkey = ref.Keypair.create_from_uri(config["minerUri"])
    axon_config = ref.munchify({"axon": {"ip": "127.0.0.1", "port": port, "external_ip": "127.0.0.1", "external_port": port, "max_workers": 8}})
    axon = ref.Axon(wallet=ref.Wallet(hotkey=hotkey), config=axon_config)
    axon.attach(forward_fn=forward_digits, blacklist_fn=blacklist_digits, priority_fn=priority_digits)
    axon.attach(forward_fn=forward_slow)
    axon.attach(forward_fn=forward_tokens)

    # Record what the reference verification decides (it still decides: the wrapper only observes).
    def observed(verify):
        async def wrapper(synapse):
            try:
                await verify(synapse)
            except Exception as e:
                seen["verify_failures"].append(str(e)[:200])
                raise
            if not synapse.dendrite.signature:
                seen["verify_failures"].append("passed without a signature")
            seen["verified"] += 1

        return wrapper

    for name in list(axon.verify_fns):
        axon.verify_fns[name] = observed(axon.verify_fns[name])
    axon.start()
    deadline = time.time() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.time() > deadline:
                raise RuntimeError(f"the reference axon did not listen on {port}")
            time.sleep(0.05)
    emit(ready=True, port=port, hotkey=hotkey.ss58_address, modelSha256=model_sha256, version=ref.version)
    sys.stdin.read()  # until the driver closes our stdin
    axon.stop()
    from . import sr25519

    emit(report={**seen, "nonce_keys": sorted(axon.nonces.keys()), "signatures": sr25519.worker().calls})


def main() -> int:
    global REF
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr, format="[reference %(levelname)s] %(message)s")
    mode, config_path = sys.argv[1], sys.argv[2]
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    try:
        REF = reference.load(config["bittensorSrc"])
        emit(reference={"version": REF.version, "src": REF.src, "torch": REF.torch})
        if mode == "dendrite":
            asyncio.run(run_dendrite(config))
        elif mode == "axon":
            run_axon(config)
        else:
            raise SystemExit(f"unknown mode {mode}")
    except Exception as e:
        traceback.print_exc()
        check(f"harness ({mode}) ran to the end", False, f"{type(e).__name__}: {e}")
        emit(done=True)
        return 1
    emit(done=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
