"""The sliders' link to the kernel (sliders.js ``makeLink``), driven in Chromium with a fake
model and a fake clock: how many values travel at once, and which value goes next.

No kernel and no server: the module is served to a blank page, the test plays the kernel's
"taken" replies, and ``performance.now`` is the test's own clock, so that the slow-reply case
(a server with Nagle's algorithm on) is tested without measuring any time.
"""

from __future__ import annotations

import pathlib

import pytest

pytestmark = pytest.mark.browser

SLIDERS_JS = pathlib.Path(__file__).resolve().parents[2] / "edu_survival" / "widgets" / "sliders.js"
ORIGIN = "http://edu-survival.test"

# A fake model that records what is sent; `taken(seq)` plays the kernel's reply.
SETUP = """async () => {
  const { makeLink } = await import("/sliders.js");
  let now = 0;
  performance.now = () => now;
  const sent = [], handlers = [];
  const model = { send: (m) => sent.push(m), on: (name, f) => handlers.push(f) };
  const link = makeLink(model, () => {});
  window.t = {
    link, sent,
    at: (ms) => { now = ms; },
    taken: (seq) => handlers.forEach((f) => f({ kind: "taken", seq })),
    values: () => sent.map((m) => m.value),
  };
}"""


@pytest.fixture
def link_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.route(f"{ORIGIN}/", lambda route: route.fulfill(body="<!doctype html><title>t</title>",
                                                          content_type="text/html"))
    page.route(f"{ORIGIN}/sliders.js", lambda route: route.fulfill(
        body=SLIDERS_JS.read_text(), content_type="text/javascript"))
    page.goto(f"{ORIGIN}/")
    page.evaluate(SETUP)
    yield page
    context.close()


def run(page, script: str):
    return page.evaluate(f"() => {{ const {{ link, at, taken, values }} = window.t; {script} }}")


def test_one_value_travels_and_the_newest_goes_next(link_page):
    # A drag: the first reply is quick (5 ms), so one value at a time.
    sent = run(link_page, """
      link.starting = true; at(0); link.want(10, false);
      at(5); taken(1);
      link.want(11, false); link.want(12, false); link.want(13, false);
      return values();""")
    assert sent == [10, 11], "after the reply one value goes; the moves behind it wait"
    sent = run(link_page, "taken(2); return values();")
    assert sent == [10, 11, 13], "the newest waiting value goes, the ones it replaced never"


def test_a_slow_first_reply_lets_two_values_travel(link_page):
    # The reply to a drag's first value takes 30 ms (a server with Nagle's algorithm on).
    sent = run(link_page, """
      link.starting = true; at(0); link.want(10, false);
      at(30); link.want(11, false);
      return values();""")
    assert sent == [10], "before the first reply, one value: nothing is known yet"
    sent = run(link_page, """
      taken(1);
      link.want(12, false); link.want(13, false); link.want(14, false);
      return values();""")
    assert sent == [10, 11, 12], "two on their way at once; 13 and 14 wait, 14 replacing 13"
    assert run(link_page, "taken(2); return values();") == [10, 11, 12, 14]


def test_a_final_value_goes_at_once_even_behind_a_value_on_its_way(link_page):
    sent = run(link_page, """
      link.starting = true; at(0); link.want(10, false);
      at(3); link.want(11, false); link.want(12, true);
      return window.t.sent.map((m) => [m.value, m.final]);""")
    assert sent == [[10, False], [12, True]], "the final value overtakes the waiting move"


def test_a_key_press_after_a_quick_reply_keeps_one_value_in_flight(link_page):
    # Each key press is final; with a quick reply to the first, a second press made before
    # the kernel answered still goes at once (final), a third waits for a reply.
    sent = run(link_page, """
      link.starting = true; at(0); link.want(10, true); at(4); taken(1);
      link.starting = true; at(10); link.want(11, true);
      link.starting = true; at(12); link.want(12, true);
      link.starting = true; at(13); link.want(13, true);
      return values();""")
    assert sent == [10, 11, 12], "one in flight plus one for a final value"
    assert run(link_page, "taken(3); return values();") == [10, 11, 12, 13]
