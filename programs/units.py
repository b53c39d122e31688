"""One home for the units and dates people read and type.

Loads are stored in kg and distances in metres (SI); each person reads and types them in
their own unit (``User.weight_unit``, ``User.distance_unit``). Dates on a plan are local
dates in the athlete's time zone: ``local_today`` is the only "today" to use for them.
"""

import datetime
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from athletes.models import DistanceUnit, User, WeightUnit

METRES_PER_UNIT = {DistanceUnit.KM: Decimal(1000), DistanceUnit.MI: Decimal("1609.344")}
LB_PER_KG = Decimal("2.2046226218")
STEP = {WeightUnit.KG: Decimal("2.5"), WeightUnit.LB: Decimal(5)}


def to_metres(distance: Decimal, unit: str) -> int:
    """``distance`` in ``unit`` (km or mi) as whole metres: 10 mi is 16093 m."""
    metres = distance * METRES_PER_UNIT[DistanceUnit(unit)]
    return int(metres.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_metres(metres: int, unit: str, places: int = 2) -> Decimal:
    """``metres`` in ``unit``, rounded for reading (16093 m is 10 mi, 21097 m is 21.1 km)."""
    value = Decimal(metres) / METRES_PER_UNIT[DistanceUnit(unit)]
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # normalize() alone would write 100 as 1E+2.
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral() else rounded.normalize()


def format_distance(metres: int | None, unit: str) -> str:
    if metres is None:
        return ""
    return f"{from_metres(metres, unit)} {DistanceUnit(unit).value}"


def format_duration(seconds: int | None) -> str:
    """45 min, 1:30, 1:30:15: how a runner writes a duration."""
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if not hours and not secs:
        return f"{minutes} min"
    return f"{hours}:{minutes:02d}:{secs:02d}" if secs else f"{hours}:{minutes:02d}"


def format_pace(metres: int | None, seconds: int | None, unit: str) -> str:
    """Time per km or mi, to the second: 10 km in 50 min is "5:00 /km"."""
    if not metres or not seconds:
        return ""
    per_unit = Decimal(seconds) * METRES_PER_UNIT[DistanceUnit(unit)] / metres
    minutes, secs = divmod(int(per_unit.quantize(Decimal(1), rounding=ROUND_HALF_UP)), 60)
    return f"{minutes}:{secs:02d} /{DistanceUnit(unit).value}"


def local_today(user: User) -> datetime.date:
    """Today where ``user`` lives: a run's date is a local date."""
    return today_in(user.time_zone)


def today_in(time_zone: str) -> datetime.date:
    """Today in the time zone named ``time_zone`` (an IANA name, as users store it)."""
    return timezone.now().astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def kg_to_unit(kg: Decimal, unit: str) -> Decimal:
    return kg * LB_PER_KG if unit == WeightUnit.LB else kg


def unit_to_kg(value: Decimal, unit: str) -> Decimal:
    return value / LB_PER_KG if unit == WeightUnit.LB else value


def round_to_plates(value: Decimal, unit: str) -> Decimal:
    step = STEP[WeightUnit(unit)]
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def format_weight(kg: Decimal, unit: str, *, plates: bool = True) -> str:
    value = kg_to_unit(kg, unit)
    value = round_to_plates(value, unit) if plates else value.quantize(Decimal("0.1"))
    text = f"{value.normalize():f}"
    return f"{text} {WeightUnit(unit).value}"
