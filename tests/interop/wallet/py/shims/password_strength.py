"""Stand-in for password_strength (not in the package index). bittensor 7 runs its policy
(strength 0.20, 10 entropy bits, length 6) on the password typed at its prompt, which the harness
answers with a fixed password; the policy only decides whether that answer is accepted, never how the
keyfile is written. This stand-in accepts every password."""


class PasswordPolicy:
    @classmethod
    def from_names(cls, **_k):
        return cls()

    def password(self, _password):
        return self

    def test(self):
        return []
