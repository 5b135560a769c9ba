# Overlay: only the real commands/list.py (`btcli wallet list`) is staged.
