"""A small FIT file writer for test fixtures and the benchmark (fitdecode only reads).

It writes what a watch writes for a run: a 14-byte header with its CRC, definition messages,
data messages and the file CRC, following the FIT protocol (Garmin's FIT SDK, "FIT File
Structure"). Only the messages and fields the importer reads are described here; values are
given in the profile's units (metres, seconds, degrees, datetimes) and scaled on write, and
``None`` writes the field's "invalid" value, as devices do for a sensor that is missing.

    writer = FitWriter()
    writer.message("file_id", type=4, manufacturer=255, time_created=start)
    writer.message("record", timestamp=start, distance=0.0, heart_rate=120)
    data = writer.finish()
"""

import math
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
SEMICIRCLES_PER_DEGREE = 2**31 / 180

# Base types: struct code, FIT base type number, invalid value.
BASE_TYPES = {
    "enum": ("B", 0x00, 0xFF),
    "u8": ("B", 0x02, 0xFF),
    "u16": ("H", 0x84, 0xFFFF),
    "s32": ("i", 0x85, 0x7FFFFFFF),
    "u32": ("I", 0x86, 0xFFFFFFFF),
    "u32z": ("I", 0x8C, 0),
}


@dataclass(frozen=True)
class Field:
    number: int
    base: str
    scale: float = 1
    offset: float = 0
    kind: str = "number"  # "number", "time" (datetime or raw int) or "degrees"


def _time(number: int = 253) -> Field:
    return Field(number, "u32", kind="time")


def _degrees(number: int) -> Field:
    return Field(number, "s32", kind="degrees")


# Field numbers and scales from the FIT profile (fitdecode.profile has the same table).
MESSAGES: dict[str, tuple[int, dict[str, Field]]] = {
    "file_id": (
        0,
        {
            "type": Field(0, "enum"),
            "manufacturer": Field(1, "u16"),
            "product": Field(2, "u16"),
            "serial_number": Field(3, "u32z"),
            "time_created": _time(4),
        },
    ),
    "sport": (12, {"sport": Field(0, "enum"), "sub_sport": Field(1, "enum")}),
    "session": (
        18,
        {
            "timestamp": _time(),
            "event": Field(0, "enum"),
            "event_type": Field(1, "enum"),
            "start_time": _time(2),
            "sport": Field(5, "enum"),
            "sub_sport": Field(6, "enum"),
            "total_elapsed_time": Field(7, "u32", scale=1000),
            "total_timer_time": Field(8, "u32", scale=1000),
            "total_distance": Field(9, "u32", scale=100),
            "avg_heart_rate": Field(16, "u8"),
            "max_heart_rate": Field(17, "u8"),
            "avg_cadence": Field(18, "u8"),
            "total_ascent": Field(22, "u16"),
            "avg_fractional_cadence": Field(92, "u8", scale=128),
        },
    ),
    "lap": (
        19,
        {
            "timestamp": _time(),
            "event": Field(0, "enum"),
            "event_type": Field(1, "enum"),
            "start_time": _time(2),
            "total_elapsed_time": Field(7, "u32", scale=1000),
            "total_timer_time": Field(8, "u32", scale=1000),
            "total_distance": Field(9, "u32", scale=100),
            "avg_heart_rate": Field(15, "u8"),
            "max_heart_rate": Field(16, "u8"),
            "avg_cadence": Field(17, "u8"),
            "total_ascent": Field(21, "u16"),
            "sport": Field(25, "enum"),
        },
    ),
    "record": (
        20,
        {
            "timestamp": _time(),
            "position_lat": _degrees(0),
            "position_long": _degrees(1),
            "heart_rate": Field(3, "u8"),
            "cadence": Field(4, "u8"),
            "distance": Field(5, "u32", scale=100),
            "temperature": Field(13, "u8"),
            "fractional_cadence": Field(53, "u8", scale=128),
            "enhanced_speed": Field(73, "u32", scale=1000),
            "enhanced_altitude": Field(78, "u32", scale=5, offset=500),
        },
    ),
    "activity": (34, {"timestamp": _time(), "num_sessions": Field(1, "u16")}),
}

# Enum values from the FIT profile.
SPORTS = {"generic": 0, "running": 1, "cycling": 2, "swimming": 5, "walking": 11}
SUB_SPORTS = {"generic": 0, "treadmill": 1, "trail": 3}
FILE_ACTIVITY = 4
MANUFACTURER_DEVELOPMENT = 255

_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip


def crc16(data: bytes, crc: int = 0) -> int:
    """The FIT CRC-16, nibble by nibble as in the SDK."""
    for byte in data:
        for nibble in (byte & 0x0F, byte >> 4):
            tmp = _CRC_TABLE[crc & 0x0F]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ tmp ^ _CRC_TABLE[nibble]
    return crc


def fit_seconds(moment: datetime) -> int:
    return round((moment - FIT_EPOCH).total_seconds())


class FitWriter:
    def __init__(self) -> None:
        self._body = bytearray()
        self._local: dict[str, tuple[int, tuple[str, ...]]] = {}

    def message(self, name: str, **values: object) -> None:
        """Write one data message, with a definition first when its fields differ from the
        last definition of that message."""
        global_number, fields = MESSAGES[name]
        names = tuple(values)
        known = self._local.get(name)
        if known is None or known[1] != names:
            local = known[0] if known else len(self._local) % 16
            self._local[name] = (local, names)
            self._body += struct.pack("<BBBHB", 0x40 | local, 0, 0, global_number, len(names))
            for field_name in names:
                field = fields[field_name]
                code, base_type, _ = BASE_TYPES[field.base]
                self._body += struct.pack("<BBB", field.number, struct.calcsize(code), base_type)
        local = self._local[name][0]
        self._body.append(local)
        for field_name, value in values.items():
            self._body += _encode(fields[field_name], value)

    def finish(self, *, protocol: int = 0x20, profile: int = 2132) -> bytes:
        header = struct.pack("<BBHI4s", 14, protocol, profile, len(self._body), b".FIT")
        header += struct.pack("<H", crc16(header))
        data = header + bytes(self._body)
        return data + struct.pack("<H", crc16(data))


def _encode(field: Field, value: object) -> bytes:
    code, _, invalid = BASE_TYPES[field.base]
    if value is None:
        raw = invalid
    elif field.kind == "time":
        raw = fit_seconds(value) if isinstance(value, datetime) else int(value)
    elif field.kind == "degrees":
        raw = round(float(value) * SEMICIRCLES_PER_DEGREE)
    else:
        raw = round((float(value) + field.offset) * field.scale)
    return struct.pack("<" + code, raw)


@dataclass(frozen=True)
class Sample:
    at: datetime
    lat: float
    lon: float
    distance_m: float
    altitude_m: float
    heart_rate: int
    cadence: int  # strides per minute, as FIT records carry it
    speed: float


def run_samples(
    *, start: datetime, seconds: int, step_s: int = 1, speed: float = 3.0
) -> Iterator[Sample]:
    """A steady run due north from Ljubljana at ``speed`` m/s over a rolling hill."""
    metres_per_degree = 111_320.0
    for index in range(seconds // step_s + 1):
        elapsed = index * step_s
        distance = elapsed * speed
        yield Sample(
            at=start + timedelta(seconds=elapsed),
            lat=46.05 + distance / metres_per_degree,
            lon=14.5,
            distance_m=distance,
            altitude_m=300 + 20 * math.sin(elapsed / 600),
            heart_rate=140 + index % 10,
            cadence=85 + index % 3,
            speed=speed,
        )


def run_fit(
    *,
    start: datetime = datetime(2026, 3, 1, 7, 30, tzinfo=UTC),
    seconds: int = 600,
    step_s: int = 1,
    sport: str = "running",
    sub_sport: str = "generic",
    session: bool = True,
    laps: bool = True,
    positions: bool = True,
) -> bytes:
    """A whole activity file: file_id, a record every ``step_s`` seconds, one lap, the
    session summary (from the same samples) and the activity message."""
    writer = FitWriter()
    writer.message(
        "file_id",
        type=FILE_ACTIVITY,
        manufacturer=MANUFACTURER_DEVELOPMENT,
        product=1,
        serial_number=12345,
        time_created=start,
    )
    samples = list(run_samples(start=start, seconds=seconds, step_s=step_s))
    for sample in samples:
        position = {"position_lat": sample.lat, "position_long": sample.lon} if positions else {}
        writer.message(
            "record",
            timestamp=sample.at,
            **position,
            distance=sample.distance_m,
            enhanced_altitude=sample.altitude_m,
            enhanced_speed=sample.speed,
            heart_rate=sample.heart_rate,
            cadence=sample.cadence,
            fractional_cadence=0.5,
            temperature=18,
        )
    last = samples[-1]
    summary = {
        "timestamp": last.at,
        "start_time": start,
        "total_elapsed_time": float(seconds),
        "total_timer_time": float(seconds),
        "total_distance": last.distance_m,
        "avg_heart_rate": round(sum(s.heart_rate for s in samples) / len(samples)),
        "max_heart_rate": max(s.heart_rate for s in samples),
        "avg_cadence": 86,
        "total_ascent": 40,
    }
    if laps:
        writer.message("lap", event=9, event_type=1, **summary, sport=SPORTS[sport])
    if session:
        writer.message(
            "session",
            event=8,
            event_type=1,
            sport=SPORTS[sport],
            sub_sport=SUB_SPORTS[sub_sport],
            **summary,
            avg_fractional_cadence=0.5,
        )
    writer.message("activity", timestamp=last.at, num_sessions=1 if session else 0)
    return writer.finish()
