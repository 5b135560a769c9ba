"""Stand-in for ansible-vault: the Ansible Vault keyfile format is neither written nor read by tensornet."""


class Vault:
    def __init__(self, *_a, **_k):
        raise NotImplementedError("Ansible Vault keyfiles are not exercised by the wallet interop harness")
