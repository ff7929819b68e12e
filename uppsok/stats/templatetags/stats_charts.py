"""A bar chart as SVG (attributes only, so the strict CSP needs no inline style or script), always
shown beside its data table."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

WIDTH, HEIGHT, PAD = 600, 160, 20


@register.inclusion_tag("stats/_bars.html")
def bar_chart(points: list[tuple[str, int]], title: str) -> dict[str, Any]:
    top = max((v for _l, v in points), default=0) or 1
    step = (WIDTH - 2 * PAD) / max(1, len(points))
    bars = []
    for i, (label, value) in enumerate(points):
        h = round((HEIGHT - 2 * PAD) * value / top)
        bars.append({"x": round(PAD + i * step + 2), "y": HEIGHT - PAD - h, "w": max(1, round(step - 4)), "h": h,
                     "label": label, "value": value, "tx": round(PAD + i * step + step / 2)})
    return {"bars": bars, "title": title, "width": WIDTH, "height": HEIGHT, "points": points}
