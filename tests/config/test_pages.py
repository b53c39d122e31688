import re

import pytest
from django.test import Client


def test_landing_page_is_public_and_says_what_runstrong_is(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert b"Strength training that fits your running" in response.content
    assert b'href="/login/"' in response.content


@pytest.mark.parametrize(
    ("persona", "target"),
    [("coach", "/coach/"), ("athlete", "/athlete/"), ("curator", "/admin/")],
)
def test_home_sends_each_role_to_its_own_page(client, db, persona, target, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == target


def test_a_coach_who_is_also_an_athlete_lands_on_the_coach_home(client, athlete):
    athlete.is_coach = True
    athlete.save()
    client.force_login(athlete)

    assert client.get("/")["Location"] == "/coach/"
    assert client.get("/athlete/").status_code == 200


def test_not_found_page_is_friendly(client, coach):
    client.force_login(coach)

    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert b"find that page" in response.content


def test_server_error_page_renders_without_context(client, db):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "Something went wrong on our side" in html


def test_csp_forbids_inline_script_and_every_script_carries_the_nonce(coach_client):
    response = coach_client.get("/coach/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    html = response.content.decode()

    assert "script-src 'self' 'nonce-" in policy
    assert "'unsafe-inline'" not in policy
    assert "style-src 'self';" in policy
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts, "the page loads htmx and Bootstrap"
    for tag in scripts:
        assert 'src="/static/' in tag, tag
    assert "<style" not in html
    assert " style=" not in html
    assert f'nonce="{nonce}"' in html  # htmx's tag


def test_htmx_is_served_locally_with_the_csrf_header_on_body(coach_client):
    html = coach_client.get("/coach/").content.decode()

    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.[0-9a-f]+\.js"', html)
    assert re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'", html)


def test_static_files_are_served_by_whitenoise_with_far_future_caching(db):
    client = Client()
    html = client.get("/").content.decode()
    css = re.search(r'href="(/static/bootstrap/css/bootstrap\.min\.[0-9a-f]+\.css)"', html).group(1)

    response = client.get(css)

    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
