"""Reference side of the wallet interop harness: drives the real bittensor wallet code (bittensor/keyfile.py,
bittensor/wallet.py, bittensor/commands/list.py of a bittensor <= 7.x source tree, on the real
substrate-interface Keypair and scalecodec ss58 code), staged on PYTHONPATH by run.ts.

Usage: python driver.py create|read  < request.json  > result.json
Everything the reference code prints goes to stderr; the result is one JSON document on stdout.
"""
import contextlib
import getpass
import io
import json
import os
import stat
import sys


def _no_prompt(prompt=""):
    raise RuntimeError(f"the reference code prompted ({prompt.strip()!r}) where the harness passes everything in")


def _answer(password):
    def answer(prompt=""):
        # ask_password_to_encrypt asks twice (password, then "Retype your password"); both get the same answer.
        return password

    return answer


def file_info(path):
    """What a keyfile on disk looks like: mode, encryption prefix, JSON keys when plaintext."""
    if not os.path.isfile(path):
        return None
    data = open(path, "rb").read()
    info = {"mode": oct(stat.S_IMODE(os.stat(path).st_mode)), "size": len(data), "head": data[:5].decode("latin1")}
    if not data.startswith((b"$NACL", b"$ANSIBLE_VAULT", b"gAAAAA")):
        try:
            info["json"] = json.loads(data)
        except ValueError:
            info["json"] = None
    return info


def wallet_files(root, name):
    base = os.path.join(root, name)
    out = {}
    for dirpath, _dirs, files in os.walk(base):
        for f in files:
            p = os.path.join(dirpath, f)
            out[os.path.relpath(p, base)] = file_info(p)
    return out


def keyfile_json(kf, password):
    """The keyfile's JSON as the reference decrypts it (bittensor.decrypt_keyfile_data when encrypted)."""
    import bittensor

    data = kf._read_keyfile_data_from_file()
    if bittensor.keyfile_data_is_encrypted(data):
        data = bittensor.decrypt_keyfile_data(data, password=password)
    return json.loads(data)


def keypair_summary(kp, message):
    out = {"address": kp.ss58_address, "publicKey": "0x" + kp.public_key.hex()}
    if kp.private_key:
        out["signature"] = "0x" + kp.sign(message).hex()
    return out


def create(req):
    import bittensor

    path, password = req["walletPath"], req["password"]
    message = bytes.fromhex(req["messageHex"])
    out = {}

    getpass.getpass = _answer(password)
    # 'ref': coldkey (encrypted) + hotkey from fixed mnemonics, a //Alice hotkey: btcli wallet regen_coldkey / regen_hotkey.
    w = bittensor.wallet(name="ref", hotkey="hk", path=path)
    w.regenerate_coldkey(mnemonic=req["coldkeyMnemonic"], use_password=True, overwrite=True, suppress=True)
    w.regenerate_hotkey(mnemonic=req["hotkeyMnemonic"], use_password=False, overwrite=True, suppress=True)
    bittensor.wallet(name="ref", hotkey="uri", path=path).create_hotkey_from_uri("//Alice", use_password=False, overwrite=True, suppress=True)
    # 'ref-new': btcli wallet create (fresh mnemonics, encrypted coldkey).
    wn = bittensor.wallet(name="ref-new", hotkey="default", path=path)
    wn.create_new_coldkey(n_words=12, use_password=True, overwrite=True, suppress=True)
    wn.create_new_hotkey(n_words=12, use_password=False, overwrite=True, suppress=True)
    # 'ref-seed': coldkey from a 0x seed, unencrypted (regen_coldkey --seed, --no-use-password).
    ws = bittensor.wallet(name="ref-seed", hotkey="default", path=path)
    ws.regenerate_coldkey(seed=req["coldkeySeed"], use_password=False, overwrite=True, suppress=True)
    getpass.getpass = _no_prompt

    for name, hotkeys in (("ref", ["hk", "uri"]), ("ref-new", ["default"]), ("ref-seed", [])):
        wallet = bittensor.wallet(name=name, path=path)
        cold = wallet.coldkey_file.get_keypair(password=password)
        entry = {
            "coldkey": keypair_summary(cold, message),
            "coldkeypub": wallet.coldkeypub.ss58_address,
            "coldkeyJson": keyfile_json(wallet.coldkey_file, password),
            "hotkeys": {},
            "files": wallet_files(path, name),
        }
        for hk in hotkeys:
            hot = bittensor.wallet(name=name, hotkey=hk, path=path).hotkey
            entry["hotkeys"][hk] = keypair_summary(hot, message)
        out[name] = entry
    return out


def list_tree(path):
    """The real `btcli wallet list` (bittensor/commands/list.py) rendered to text."""
    import bittensor
    from bittensor.commands.list import ListCommand
    from rich.console import Console

    class Cli:
        config = bittensor.config()

    Cli.config["wallet"] = bittensor._Node(path=path)
    tree = ListCommand.get_tree(Cli)
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(tree)
    return console.file.getvalue()


def read(req):
    import bittensor

    getpass.getpass = _no_prompt
    path, password = req["walletPath"], req["password"]
    message = bytes.fromhex(req["messageHex"])
    out = {"wallets": {}, "verified": [], "list": list_tree(path)}
    for name, spec in req["wallets"].items():
        wallet = bittensor.wallet(name=name, path=path)
        entry = {"files": wallet_files(path, name), "hotkeys": {}}
        entry["coldkeypub"] = wallet.coldkeypub.ss58_address
        entry["coldkeyEncrypted"] = wallet.coldkey_file.is_encrypted()
        try:
            cold = wallet.coldkey_file.get_keypair(password=password if entry["coldkeyEncrypted"] else None)
            entry["coldkey"] = keypair_summary(cold, message)
            entry["coldkeyJson"] = keyfile_json(wallet.coldkey_file, password)
        except bittensor.KeyFileError as e:
            entry["coldkey"] = None
            entry["coldkeyError"] = f"KeyFileError: {e}"
        if entry["coldkeyEncrypted"]:
            try:
                wallet.coldkey_file.get_keypair(password=password + "-wrong")
                entry["wrongPassword"] = "accepted"
            except bittensor.KeyFileError as e:
                entry["wrongPassword"] = f"KeyFileError: {e}"
        for hk in spec["hotkeys"]:
            hot = bittensor.wallet(name=name, hotkey=hk, path=path).hotkey
            entry["hotkeys"][hk] = keypair_summary(hot, message)
        out["wallets"][name] = entry
    for item in req.get("verify", []):
        pub = bittensor.Keypair(ss58_address=item["address"])
        out["verified"].append({**item, "ok": bool(pub.verify(message, bytes.fromhex(item["signature"][2:])))})
    return out


def main():
    op = sys.argv[1]
    req = json.load(sys.stdin)
    real_stdout = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        result = {"create": create, "read": read}[op](req)
    real_stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
