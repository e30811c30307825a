"""The server's own pages: busy, sign-in, wrong host; what they say and that they escape."""

from __future__ import annotations

import re

from workbook.serve.pages import busy_page, foreign_host_text, sign_in_page


def test_busy_page_says_why_where_and_retries_by_itself() -> None:
    page = busy_page(3, 10, 5, "service roi <b>")
    text = re.sub(r"<[^>]+>", "", page)
    assert "The dashboard is busy" in text
    assert "10 managers are using the dashboards" in text
    assert "You are number 3 in line" in text
    assert "service roi &lt;b&gt;" in page  # the title is escaped
    assert '<meta http-equiv="refresh" content="6">' in page
    assert "location.reload()" in page
    assert "next in line" in busy_page(1, 10, 5, "x")
    assert "Traceback" not in page


def test_sign_in_page_posts_the_token_as_jupyter_expects_and_escapes_next() -> None:
    page = sign_in_page(error=False, next_url='/voila/render/x.ipynb?a=1&b="2"',
                        action="/login", xsrf_field='<input type="hidden" name="_xsrf" value="t">')
    assert '<form method="post" action="/login">' in page
    assert 'name="password"' in page and 'name="_xsrf"' in page
    assert 'value="/voila/render/x.ipynb?a=1&amp;b=&quot;2&quot;"' in page
    assert "That token is not right" not in page
    assert "That token is not right" in sign_in_page(error=True, next_url="/", action="/login",
                                                     xsrf_field="")


def test_foreign_host_text_names_the_host_and_the_way_out() -> None:
    text = foreign_host_text("rebind.test:8866", 8866)
    assert text.startswith("403: this dashboard server answers only to localhost")
    assert "'rebind.test:8866' refused" in text
    assert "http://localhost:8866/" in text and "--allow-host NAME" in text
