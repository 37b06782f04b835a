"""B2B fairs: definitions, the planner, plans and what came of each meeting."""
