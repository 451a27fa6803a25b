"""rtr-planner."""
