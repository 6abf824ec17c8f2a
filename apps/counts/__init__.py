"""Cycle counts: a count session per location whose lines are applied as of the moment each
was counted, so sales between counting and applying are kept (see services.apply_count)."""
