"""Small charts drawn on the server as SVG: no script, no library, nothing for the Content
Security Policy to refuse (presentation attributes only, no ``style``).

The drawing is 360 units wide, about the width of a phone's content column at 390 px, and
scales to its container; text is in ``currentColor`` so it follows the page's theme. A
chart is a picture of a table that the page also shows: the table is the text
alternative, and the chart's ``<title>`` and ``<desc>`` say what it shows in a sentence.
"""

import datetime
import math
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
LINE_HEIGHT = 200
LEFT, RIGHT, TOP, BOTTOM = 44, 14, 14, 30
COLOUR = "#0d6efd"
GRID = "#adb5bd"
FONT = 'font-family="system-ui, sans-serif" font-size="11" fill="currentColor"'


def number(value: float) -> str:
    """ "120", "117.5": one decimal at most, none when it is whole."""
    text = f"{Decimal(str(value)).quantize(Decimal('0.1')):f}"
    return text.removesuffix(".0")


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values (1, 2, 2.5 or 5 times a power of ten apart) that cover low to high."""
    if high <= low:
        low, high = low - 1, high + 1
    rough = (high - low) / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high:
        ticks.append(start + len(ticks) * step)
    return ticks


def _frame(chart_id: str, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 -- every text below is escaped where it is built
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def line_chart(
    points: list[tuple[datetime.date, float]],
    *,
    unit_label: str,
    title: str = "",
    chart_id: str = "chart",
) -> SafeString:
    """Values over time, spaced by date (a gap in training shows as a gap), with round
    values on the y axis and the first and last dates on the x axis."""
    title = title or f"Progress in {unit_label}"
    if not points:
        return _frame(chart_id, LINE_HEIGHT, title, "No data yet.", [])
    points = sorted(points)
    values = [float(v) for _, v in points]
    low, high = min(values), max(values)
    # A y axis at least a tenth of the top value tall, so a kilo up or down does not
    # look like a leap.
    pad = max(abs(high) / 10 - (high - low), 0) / 2
    ticks = nice_ticks(low - pad, high + pad)
    low, high = ticks[0], ticks[-1]
    first_day, last_day = points[0][0].toordinal(), points[-1][0].toordinal()
    plot_w, plot_h = WIDTH - LEFT - RIGHT, LINE_HEIGHT - TOP - BOTTOM

    def x(day: datetime.date) -> float:
        if last_day == first_day:
            return LEFT + plot_w / 2
        return LEFT + (day.toordinal() - first_day) / (last_day - first_day) * plot_w

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_h

    body = []
    for tick in ticks:
        body.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" {FONT}>'
            f"{number(tick)}</text>"
        )
    body.append(
        f'<text x="4" y="{TOP - 3}" {FONT}>{escape(unit_label)}</text>'
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
        f'stroke="currentColor" stroke-width="1"/>'
    )
    dates = [points[0][0]] if first_day == last_day else [points[0][0], points[-1][0]]
    for day, anchor in zip(dates, ["start", "end"] if len(dates) == 2 else ["middle"], strict=True):
        body.append(
            f'<text x="{x(day):.1f}" y="{LINE_HEIGHT - 10}" text-anchor="{anchor}" {FONT}>'
            f"{escape(date_format(day, 'j M'))}</text>"
        )
    coords = [(x(day), y(float(value))) for day, value in points]
    if len(coords) > 1:
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{COLOUR}" stroke-width="2.5" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    for (day, value), (cx, cy) in zip(points, coords, strict=True):
        label = f"{date_format(day, 'j M Y')}: {number(value)} {unit_label}"
        body.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{COLOUR}">'
            f"<title>{escape(label)}</title></circle>"
        )
    desc = (
        f"{len(points)} points from {date_format(points[0][0], 'j M Y')} to "
        f"{date_format(points[-1][0], 'j M Y')}: first {number(values[0])}, "
        f"last {number(values[-1])}, highest {number(max(values))} {unit_label}."
    )
    return _frame(chart_id, LINE_HEIGHT, title, desc, body)


def bar_chart(
    bars: list[tuple[str, float]],
    *,
    unit_label: str,
    title: str = "",
    chart_id: str = "bars",
) -> SafeString:
    """Horizontal bars, one labelled row each: long labels stay readable on a phone."""
    row, label_w, value_w = 24, 110, 30
    height = TOP + row * max(len(bars), 1) + 6
    title = title or f"{unit_label.capitalize()} by group"
    if not bars:
        return _frame(chart_id, height, title, "No data yet.", [])
    most = max(float(v) for _, v in bars) or 1
    bar_space = WIDTH - label_w - value_w - 8
    body = []
    for index, (label, value) in enumerate(bars):
        top = TOP + index * row
        width = max(float(value) / most * bar_space, 1)
        short = label if len(label) <= 17 else label[:16] + "…"
        body.append(
            f'<text x="{label_w - 6}" y="{top + 15}" text-anchor="end" {FONT}>'
            f"{escape(short)}</text>"
            f'<rect x="{label_w}" y="{top + 4}" width="{width:.1f}" height="{row - 8}" '
            f'rx="2" fill="{COLOUR}"/>'
            f'<text x="{label_w + width + 4:.1f}" y="{top + 15}" {FONT}>{number(value)}</text>'
        )
    desc = "; ".join(f"{label}: {number(value)}" for label, value in bars) + f" ({unit_label})."
    return _frame(chart_id, height, title, desc, body)


def planned_done_chart(
    weeks: list[tuple[datetime.date, float, float]],
    *,
    unit_label: str,
    title: str,
    chart_id: str = "planned-done",
) -> SafeString:
    """Per week (its Monday, planned, done), oldest on the left: the planned bar outlined
    and the done bar filled in front of it, narrower, so both show whichever is taller.
    Every fourth Monday is written under the axis, counted back from the latest week."""
    if not weeks:
        return _frame(chart_id, LINE_HEIGHT, title, "No weeks.", [])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, LINE_HEIGHT - TOP - BOTTOM
    most = max(max(float(planned), float(done)) for _, planned, done in weeks)
    ticks = nice_ticks(0, most) if most > 0 else [0, 1]
    high = ticks[-1]
    slot = plot_w / len(weeks)

    def y(value: float) -> float:
        return TOP + (high - value) / high * plot_h

    body = []
    for tick in ticks:
        body.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" {FONT}>'
            f"{number(tick)}</text>"
        )
    legend_x = WIDTH - RIGHT - 112
    body.append(
        f'<text x="4" y="{TOP - 3}" {FONT}>{escape(unit_label)}</text>'
        f'<rect x="{legend_x}" y="2" width="9" height="9" fill="none" stroke="{COLOUR}"/>'
        f'<text x="{legend_x + 13}" y="{TOP - 3}" {FONT}>Planned</text>'
        f'<rect x="{legend_x + 66}" y="2" width="9" height="9" fill="{COLOUR}"/>'
        f'<text x="{legend_x + 79}" y="{TOP - 3}" {FONT}>Done</text>'
    )
    for index, (start, planned, done) in enumerate(weeks):
        left = LEFT + index * slot
        centre = left + slot / 2
        label = (
            f"Week of {date_format(start, 'j M Y')}: {number(planned)} {unit_label} planned, "
            f"{number(done)} {unit_label} done"
        )
        parts = [f"<g><title>{escape(label)}</title>"]
        if planned:
            width = slot * 0.7
            parts.append(
                f'<rect x="{centre - width / 2:.1f}" y="{y(float(planned)):.1f}" '
                f'width="{width:.1f}" height="{y(0) - y(float(planned)):.1f}" fill="none" '
                f'stroke="{COLOUR}" stroke-width="1"/>'
            )
        if done:
            width = slot * 0.4
            parts.append(
                f'<rect x="{centre - width / 2:.1f}" y="{y(float(done)):.1f}" '
                f'width="{width:.1f}" height="{y(0) - y(float(done)):.1f}" fill="{COLOUR}"/>'
            )
        body.append("".join(parts) + "</g>")
        if (len(weeks) - 1 - index) % 4 == 0:
            body.append(
                f'<text x="{centre:.1f}" y="{LINE_HEIGHT - 10}" text-anchor="middle" {FONT}>'
                f"{escape(date_format(start, 'j M'))}</text>"
            )
    body.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
        f'stroke="currentColor" stroke-width="1"/>'
    )
    desc = (
        f"{len(weeks)} weeks from {date_format(weeks[0][0], 'j M Y')}, planned and done: "
        + "; ".join(
            f"{date_format(start, 'j M')}: {number(planned)} planned, {number(done)} done"
            for start, planned, done in weeks
        )
        + f" ({unit_label})."
    )
    return _frame(chart_id, LINE_HEIGHT, title, desc, body)
