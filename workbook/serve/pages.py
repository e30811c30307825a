"""The few pages the dashboard server shows itself: busy, sign-in, wrong host.

Plain HTML with one shared style (:func:`plain_page`), readable without scripts; nothing here
comes from Voilà's templates. Every value put into a page is escaped.
"""

from __future__ import annotations

import html

__all__ = ["busy_page", "foreign_host_text", "plain_page", "sign_in_page"]

_STYLE = """
body { font-family: system-ui, sans-serif; color: #1f2a33; background: #f6f7f9;
       display: flex; min-height: 90vh; align-items: center; justify-content: center; }
main { max-width: 34rem; background: #fff; border: 1px solid #d8dde3; border-radius: 8px;
       padding: 2rem 2.5rem; }
h1 { font-size: 1.3rem; margin: 0 0 .8rem; }
p { line-height: 1.5; margin: .5rem 0; }
.wb-small { color: #5b6770; font-size: .9rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .3rem; }
input[type=password] { width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }
button { margin-top: 1rem; padding: .5rem 1.2rem; font-size: 1rem; }
.wb-sign-in-error { color: #a61b1b; }
"""


def plain_page(title: str, body: str, *, head: str = "", main_class: str = "") -> str:
    """A whole page: ``title`` (escaped here), ``body`` (HTML, escaped by the caller)."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{head}'
            f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style></head>\n"
            f'<body><main class="{main_class}">\n{body}\n</main></body></html>\n')


def busy_page(position: int, max_viewers: int, retry_seconds: float, title: str) -> str:
    """The plain page a viewer beyond the cap sees: it says why and asks again by itself.

    No script is needed for the retry (a ``<meta http-equiv="refresh">``); with scripts on,
    the page also counts down, and adds up to a second of jitter so a queue of tabs does not
    ask in lockstep.
    """
    seconds = max(1, round(retry_seconds))
    place = "next in line" if position == 1 else f"number {position} in line"
    name = html.escape(title)
    body = f"""<h1>The dashboard is busy</h1>
<p>{max_viewers} managers are using the dashboards, the most this server takes at once.
You are <strong class="wb-busy-position">{place}</strong>.</p>
<p>This page tries again by itself <span class="wb-busy-retry">in {seconds} seconds</span>
and opens <em>{name}</em> as soon as a place is free. Keep it open.</p>
<p class="wb-small">Nothing is lost by waiting. If this happens often, ask whoever runs
the server to raise <code>--max-viewers</code> (see docs/serving.md).</p>
<script>
(() => {{
  let left = {seconds};
  const label = document.querySelector(".wb-busy-retry");
  const tick = () => {{
    left -= 1;
    if (left <= 0) {{ label.textContent = "now"; return; }}
    label.textContent = "in " + left + (left === 1 ? " second" : " seconds");
    setTimeout(tick, 1000);
  }};
  setTimeout(tick, 1000);
  setTimeout(() => location.reload(), {seconds} * 1000 + Math.random() * 1000);
}})();
</script>"""
    return plain_page(f"Busy: {title}", body, main_class="wb-busy",
                      head=f'<meta http-equiv="refresh" content="{seconds + 1}">\n')


def sign_in_page(*, error: bool, next_url: str, action: str, xsrf_field: str) -> str:
    """Jupyter Server's login form in a manager's words: the token is the password.

    ``xsrf_field`` is tornado's hidden ``_xsrf`` input (already HTML); the form posts
    ``password`` and ``next`` to ``action``, as Jupyter Server's login handler expects.
    """
    message = ('<p class="wb-sign-in-error" role="alert">That token is not right. Copy it '
               "again from the link you were sent (the part after <code>?token=</code>).</p>"
               if error else "")
    body = f"""<h1>Sign in to the dashboards</h1>
<p>These dashboards are shared with your team. Paste the access token from whoever runs the
server: it is the part after <code>?token=</code> in the link they sent. Your browser then
remembers it.</p>
{message}
<form method="post" action="{html.escape(action, quote=True)}">
{xsrf_field}
<input type="hidden" name="next" value="{html.escape(next_url, quote=True)}">
<label for="password">Access token</label>
<input type="password" id="password" name="password" autocomplete="current-password" autofocus>
<button type="submit">Sign in</button>
</form>"""
    return plain_page("Sign in: Service Strategy Workbook", body, main_class="wb-sign-in")


def foreign_host_text(host: str, port: int) -> str:
    """The 403 answer to a request whose ``Host`` this server does not answer to."""
    return (f"403: this dashboard server answers only to localhost (Host {host!r} refused, so "
            "a page on another site cannot reach it by renaming itself). Open "
            f"http://localhost:{port}/ on this machine, or start the server with "
            "--allow-host NAME for the name a reverse proxy forwards.\n")
