import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.csvcells import guard_cell, unguard_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # so that reading it back gives the quote too
        ("-5", "-5"),
        ("+1.5", "+1.5"),
        ("-1e3", "-1e3"),
        ("Back squat", "Back squat"),
        ("'quoted", "'quoted"),
        ("", ""),
        (7, 7),
    ],
)
def test_text_that_could_start_a_formula_is_written_as_text(value, written):
    assert guard_cell(value) == written


@given(st.text())
def test_reading_a_guarded_cell_gives_back_what_was_written(text):
    assert unguard_cell(guard_cell(text)) == text
