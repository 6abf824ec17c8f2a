"""The report both profiling scripts print: the functions taking the most time of their
own, then the project's functions by cumulative time."""

import io
import pstats


def report(profile, lines: int = 40) -> None:
    for order, only in (("tottime", ""), ("cumulative", "apps/")):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(only, lines)
        print(out.getvalue())
