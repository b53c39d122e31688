"""The result of inviting several athletes at once: each link in full, on its own line,
never cut short in a narrow box, and no colon left hanging before it."""

import re

from django.urls import reverse


def test_every_link_is_shown_whole_and_wraps(coach_client):
    response = coach_client.post(
        reverse("invitations_many"), {"text": "a.runner@example.com\nb.runner@example.com"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    report = html[html.index("invitations sent.") : html.index('action="/coach/invitations/many/"')]
    links = re.findall(
        r'<code class="d-block text-break user-select-all invite-link"'
        r' aria-label="Link for ([^"]+)">(http://testserver/invite/[\w-]+/)</code>',
        report,
    )
    assert [email for email, _ in links] == ["a.runner@example.com", "b.runner@example.com"]
    assert len({link for _, link in links}) == 2
    assert "w-auto" not in report
    assert not re.search(r":\s*<code", report), "no colon left dangling before the link"
