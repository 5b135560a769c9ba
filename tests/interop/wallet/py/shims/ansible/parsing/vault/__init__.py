class AnsibleVaultError(Exception):
    pass
