"""Athletes read titles, never codes: every code the engine can raise has one."""

from programs.conflicts import Code
from programs.conflicts.titles import TITLES, title


def test_every_code_has_a_plain_title():
    assert {code.value for code in Code} <= set(TITLES)


def test_titles_are_plain_words_not_codes():
    for code in Code:
        assert title(code) != code.value
        assert "_" not in title(code)


def test_an_unknown_code_never_shows_as_a_code():
    assert title("SOMETHING_NEW") == "Check your plan"
