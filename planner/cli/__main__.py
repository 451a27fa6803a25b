"""``python -m planner.cli``: the same as the ``rtr`` command."""

from planner.cli import main

main()
