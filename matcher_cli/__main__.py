"""``python -m matcher_cli`` is ``matcher``."""

from matcher_cli import main

main()
