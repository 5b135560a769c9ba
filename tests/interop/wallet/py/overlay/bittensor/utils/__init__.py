# Overlay of bittensor/utils/__init__.py (which pulls in numpy, torch, registration, version checks):
# only the real wallet_utils functions the wallet code calls.
from .wallet_utils import *  # noqa: F401,F403
