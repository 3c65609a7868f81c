"""Bar charts drawn on the server as SVG (no chart library, no CDN): this module only
computes the geometry; `dashboard/chart.html` draws it. Each chart sits beside a
table of the same numbers for screen readers (the SVG itself is aria-hidden)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
BAR_AREA = 150  # height of the tallest bar
TOP = 20  # room for the value above a bar
BOTTOM = 36  # room for the labels below


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    series: int  # 0, 1: the CSS class picks the colour
    href: str = ""

    @property
    def center(self) -> float:
        return self.x + self.width / 2

    @property
    def value_y(self) -> float:
        return self.y - 4


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    labels: list[tuple[float, str]]  # (x of the group's center, label)
    width: int = WIDTH
    height: int = TOP + BAR_AREA + BOTTOM

    @property
    def baseline(self) -> int:
        return TOP + BAR_AREA

    @property
    def label_y(self) -> int:
        return TOP + BAR_AREA + 18


def bar_chart(
    groups: Sequence[tuple[str, Sequence[tuple[Decimal | int, str, str]]]],
) -> Chart:
    """`groups`: [(label, [(number, shown value, link), …one per series]), …]."""
    peak = max((float(n) for _label, series in groups for n, _v, _h in series), default=0) or 1
    slot = WIDTH / max(len(groups), 1)
    per_group = max((len(series) for _l, series in groups), default=1)
    bar_width = min(48.0, slot * 0.7 / per_group)
    bars: list[Bar] = []
    labels: list[tuple[float, str]] = []
    for index, (label, series) in enumerate(groups):
        left = index * slot + (slot - bar_width * len(series)) / 2
        for position, (number, shown, href) in enumerate(series):
            height = round(BAR_AREA * float(number) / peak, 1)
            bars.append(
                Bar(
                    x=round(left + position * bar_width, 1),
                    y=TOP + BAR_AREA - height,
                    width=round(bar_width - 2, 1),
                    height=height,
                    label=label,
                    value=shown,
                    series=position,
                    href=href,
                )
            )
        labels.append((round(index * slot + slot / 2, 1), label))
    return Chart(bars, labels)
