# Overlay of substrate-interface's __init__: the real one also imports the RPC client (websockets,
# metadata), which has nothing to do with keys. Only the real keypair module is exposed.
from .keypair import *  # noqa: F401,F403
