"""rtr-planner test suite."""
