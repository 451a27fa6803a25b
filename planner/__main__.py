"""``python -m planner`` runs the rtr command line."""

from planner.cli import main

main()
