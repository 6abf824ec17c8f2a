"""On-hand over time as an inline SVG, drawn on the server from the ledger's balances
(`quantity_after`): no script, no CDN, readable in any browser and in a screenshot."""

from itertools import pairwise

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 26


def on_hand_chart(points, *, reorder_level=None, now=None) -> str:
    """`points`: (moment, quantity after) oldest first. A step line: the figure holds until
    the next movement, and runs on to now."""
    if not points:
        return mark_safe('<p class="ae-muted">No movements yet: nothing to draw.</p>')
    now = now or timezone.now()
    start = points[0][0]
    end = max(now, points[-1][0])
    span = (end - start).total_seconds() or 1.0
    top_value = max(max(q for _, q in points), reorder_level or 0, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(moment):
        return LEFT + plot_w * (moment - start).total_seconds() / span

    def y(value):
        return TOP + plot_h * (1 - value / top_value)

    path = [f"M{x(points[0][0]):.1f},{y(0):.1f}", f"L{x(points[0][0]):.1f},{y(points[0][1]):.1f}"]
    for (_, previous), (moment, value) in pairwise(points):
        path.append(f"L{x(moment):.1f},{y(previous):.1f}")
        path.append(f"L{x(moment):.1f},{y(value):.1f}")
    path.append(f"L{x(end):.1f},{y(points[-1][1]):.1f}")
    line = " ".join(path)
    area = f"{line} L{x(end):.1f},{y(0):.1f} Z"

    parts = [
        f'<svg class="ae-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="On hand over time">',
        f"<title>On hand over time: {points[-1][1]} now</title>",
        f'<line class="ae-axis" x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}"/>',
        f'<line class="ae-axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{y(0):.1f}"/>',
        f'<text class="ae-label" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{top_value}</text>',
        f'<text class="ae-label" x="{LEFT - 6}" y="{y(0) + 4:.1f}" text-anchor="end">0</text>',
        f'<path class="ae-area" d="{area}"/>',
        f'<path class="ae-line" d="{line}"/>',
    ]
    if reorder_level:
        parts += [
            f'<line class="ae-reorder" x1="{LEFT}" y1="{y(reorder_level):.1f}" '
            f'x2="{WIDTH - RIGHT}" y2="{y(reorder_level):.1f}"/>',
            f'<text class="ae-label ae-reorder-label" x="{WIDTH - RIGHT}" '
            f'y="{y(reorder_level) - 4:.1f}" text-anchor="end">reorder level {reorder_level}'
            "</text>",
        ]
    # Within two days the dates alone would read "25 Nov 2026 ... 25 Nov 2026": show times.
    label_format = "%d %b %Y" if span > 2 * 86400 else "%d %b %H:%M"
    for moment, anchor in ((start, "start"), (end, "end")):
        label = timezone.localtime(moment).strftime(label_format)
        parts.append(
            f'<text class="ae-label" x="{x(moment):.1f}" y="{HEIGHT - 8}" '
            f'text-anchor="{anchor}">{escape(label)}</text>'
        )
    last_x, last_y = x(end), y(points[-1][1])
    parts.append(f'<circle class="ae-dot" cx="{last_x:.1f}" cy="{last_y:.1f}" r="3.5"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
