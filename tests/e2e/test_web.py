"""End to end: the website widget in headless Chromium, on the demo page served by
bot.tools.serve_web, talking to the real Rasa server over socket.io.

Needs Debian's chromium (make prerequisites), web/node_modules (make web-build) and the
Python package playwright (its own browser downloads are never used).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.settings import PROJECT_ROOT, Settings
from bot.tools.launcher import Servers, free_port, server_environment, web_page
from tests.e2e.test_feedback_and_erasure import FEEDBACK

pytestmark = pytest.mark.e2e

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VENDOR_FILE = PROJECT_ROOT / "web" / "node_modules" / "socket.io-client" / "dist"
VENDOR_FILE = VENDOR_FILE / "socket.io.min.js"
SCREENSHOT = PROJECT_ROOT / "results" / "web-widget.png"
REPLY_TIMEOUT = 60_000  # ms
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def rasa_base_url(assistant) -> str:
    return assistant.base_url


@pytest.fixture(scope="module")
def web_url(rasa_base_url, tmp_path_factory):
    if not VENDOR_FILE.is_file():
        pytest.fail(f"{VENDOR_FILE} is missing: run `make web-build` (npm ci in web/)")
    settings = Settings.from_environment(
        {"WEB_PORT": str(free_port()), "RASA_PUBLIC_URL": rasa_base_url}
    )
    with Servers(server_environment(settings)) as servers:
        servers.start(web_page(settings, tmp_path_factory.mktemp("web-server")), timeout=30)
        yield f"http://127.0.0.1:{settings.web_port}/"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make prerequisites`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A page plus what it did: every HTTP request and WebSocket, every console error."""

    def __init__(self, browser, viewport: dict, init_script: str | None = None):
        self.context = browser.new_context(viewport=viewport)
        if init_script:
            self.context.add_init_script(init_script)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.websockets: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("websocket", lambda socket: self.websockets.append(socket.url))
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.errors.append(message.text),
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open_page(self, url: str) -> None:
        self.page.goto(url)
        expect(self.page.locator(".mg-launcher")).to_be_visible()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser):
    pages: list[Watched] = []

    def make(viewport: dict, init_script: str | None = None) -> Watched:
        pages.append(Watched(browser, viewport, init_script))
        return pages[-1]

    yield make
    for page in pages:
        page.close()


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}"


def assert_only_project_servers(watched: Watched, web_url: str, rasa_base_url: str) -> None:
    allowed = {origin(web_url), origin(rasa_base_url)}
    for url in watched.requests + watched.websockets:
        if url.startswith("data:"):
            continue
        assert origin(url) in allowed, f"the page loaded {url} from elsewhere"
    assert any(url.endswith("/vendor/socket.io.min.js") for url in watched.requests)
    assert watched.errors == [], watched.errors


CONTRAST_SCRIPT = """
(targets) => {
  const parse = (value) => {
    const parts = value.match(/[\\d.]+/g).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const luminance = ({ r, g, b }) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour.a > 0) return colour;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const result = {};
  for (const [name, selector, pseudo] of targets) {
    const element = document.querySelector(selector);
    if (!element) { result[name] = null; continue; }
    const fg = luminance(parse(getComputedStyle(element, pseudo || null).color));
    const bg = luminance(background(element));
    result[name] = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  }
  return result;
}
"""

CONTRAST_TARGETS = [
    ["launcher", ".mg-launcher"],
    ["title", ".mg-title"],
    ["subtitle", ".mg-subtitle"],
    ["new chat", ".mg-text-button"],
    ["close", ".mg-icon-button"],
    ["bot message", ".mg-from-bot .mg-text"],
    ["user message", ".mg-from-user .mg-text"],
    ["link", ".mg-from-bot a"],
    ["input", ".mg-input"],
    ["placeholder", ".mg-input", "::placeholder"],
    ["send", ".mg-send"],
]


def open_and_ask(page, text: str):
    """Open the widget, type a question and send it; returns the text box."""
    page.get_by_role("button", name="Ask MesoGuide").click()
    question = page.get_by_label("Type your question")
    question.fill(text)
    question.press("Enter")
    return question


def message_texts(page) -> list[str]:
    return page.locator(".mg-message").all_inner_texts()


def test_a_patient_asks_clicks_a_button_and_reloads(browser, watched, web_url, rasa_base_url):
    tab = watched(PHONE)
    page = tab.page
    tab.open_page(web_url)
    expect(page.get_by_role("heading", name="Demo Mesotherapy Clinic")).to_be_visible()

    launcher = page.get_by_role("button", name="Ask MesoGuide")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    # on a phone the panel covers the page, launcher included (hidden, so include_hidden)
    expect(page.get_by_role("button", name="Ask MesoGuide", include_hidden=True)).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(launcher).to_be_hidden()
    panel = page.get_by_role("dialog", name="MesoGuide")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (PHONE["width"], PHONE["height"])

    question = page.get_by_role("textbox", name="Type your question")
    expect(question).to_be_focused()
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")

    # The typing indicator may show only briefly: record whether it ever showed.
    page.evaluate(
        """() => {
          const typing = document.querySelector('.mg-typing');
          new MutationObserver(() => { if (!typing.hidden) window.mgTypingShown = true; })
            .observe(typing, { attributes: true });
        }"""
    )
    question.fill("how much does it cost?")
    question.press("Enter")
    expect(question).to_have_value("")
    expect(page.locator(".mg-from-user").last).to_have_text("You: how much does it cost?")
    expect(log).to_contain_text("USD 250", timeout=REPLY_TIMEOUT)
    expect(log).to_contain_text("automated assistant")
    assert page.evaluate("window.mgTypingShown") is True
    expect(page.locator(".mg-typing")).to_be_hidden()

    # two sources: shown open, each name a link
    source_link = log.get_by_role("link", name="Raskel Medical")
    expect(source_link).to_be_visible(timeout=REPLY_TIMEOUT)
    assert source_link.get_attribute("href").startswith("https://www.raskelmedical.com/")
    assert source_link.get_attribute("target") == "_blank"
    assert "noopener" in source_link.get_attribute("rel").split()
    white_space = page.locator(".mg-from-bot .mg-text").first.evaluate(
        "element => getComputedStyle(element).whiteSpace"
    )
    assert white_space in ("pre-wrap", "pre-line")  # the bot's line breaks are kept

    question.fill("hi")
    question.press("Enter")
    does_it_hurt = log.get_by_role("button", name="Does it hurt?")
    expect(does_it_hurt).to_be_visible(timeout=REPLY_TIMEOUT)

    contrast = page.evaluate(CONTRAST_SCRIPT, CONTRAST_TARGETS + [["button", ".mg-quick-reply"]])
    low = {name: ratio for name, ratio in contrast.items() if ratio is None or ratio < 4.5}
    assert not low, f"contrast below 4.5:1 (or element missing): {low}"

    does_it_hurt.click()
    expect(page.locator(".mg-from-user").last).to_have_text("You: Does it hurt?")
    expect(log).to_contain_text("small pinches", timeout=REPLY_TIMEOUT)
    expect(does_it_hurt).to_have_count(0)  # answered buttons go away
    # the second answer asks "Did this help?": its two buttons are the only ones left
    expect(log.get_by_role("button", name="👍 Yes")).to_be_visible(timeout=REPLY_TIMEOUT)
    expect(log.locator(".mg-buttons")).to_have_count(1)
    # the reminder stays in view under the text box, not under every answer
    expect(page.locator(".mg-footer")).to_have_text("General information only, not medical advice.")
    pain = page.locator(".mg-from-bot", has_text="small pinches")
    expect(pain.locator(".mg-sources")).to_be_visible()
    before_reload = message_texts(page)

    page.reload()
    expect(page.locator(".mg-launcher")).to_be_attached()
    expect(panel).to_be_visible()  # it was open before the reload
    assert message_texts(page) == before_reload
    expect(log).to_contain_text("USD 250")
    expect(log).to_contain_text("small pinches")

    # Same Rasa conversation after the reload: "tell me more" is about the last topic (pain).
    question.fill("tell me more")
    question.press("Enter")
    expect(log).to_contain_text("small shots", timeout=REPLY_TIMEOUT)
    expect(log).to_contain_text("automated assistant")
    assert page.locator(".mg-from-bot", has_text="automated assistant").count() == 1

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert_only_project_servers(tab, web_url, rasa_base_url)


ANSWER_SCREENSHOT = PROJECT_ROOT / "results" / "web-answer.png"
ANSWER_HEIGHT = PROJECT_ROOT / "results" / "web-answer-height.json"


def bubble_heights_of_the_reply(page, question: str, answer: bool = True) -> list[float]:
    """Ask, wait for the reply (an answer: its sources too); the heights of its bubbles, but
    for the "Did this help?" that may follow an answer."""
    before = page.locator(".mg-from-bot").count()
    box = page.get_by_label("Type your question")
    box.fill(question)
    box.press("Enter")
    expect(page.locator(".mg-from-bot").nth(before)).to_be_visible(timeout=REPLY_TIMEOUT)
    if answer:
        expect(page.locator(".mg-from-bot").nth(before).locator(".mg-sources")).to_be_visible(
            timeout=REPLY_TIMEOUT
        )
    page.wait_for_timeout(1000)  # anything else of this reply
    bubbles = page.locator(".mg-from-bot")
    reply = [bubbles.nth(i) for i in range(before, bubbles.count())]
    return [b.bounding_box()["height"] for b in reply if FEEDBACK not in b.inner_text()]


def test_an_answer_and_its_sources_fit_one_bubble_at_390_px(watched, web_url, rasa_base_url):
    tab = watched(PHONE)
    page = tab.page
    tab.open_page(web_url)
    page.get_by_role("button", name="Ask MesoGuide").click()
    bubble_heights_of_the_reply(page, "hello", answer=False)  # the session notice, a greeting
    [cost_height] = bubble_heights_of_the_reply(page, "how much does it cost?")
    cost = page.locator(".mg-from-bot").last
    expect(cost).to_contain_text("USD 250")
    expect(cost.locator(".mg-sources")).to_contain_text("Raskel Medical")
    ANSWER_HEIGHT.parent.mkdir(exist_ok=True)
    ANSWER_HEIGHT.write_text(f'{{"cost_answer_px": {round(cost_height)}}}\n', encoding="utf-8")

    # five sources: folded into "Sources (5)" until opened from the keyboard
    assert len(bubble_heights_of_the_reply(page, "what are the side effects?")) == 1
    answer = page.locator(".mg-from-bot", has_text="Common side effects").last
    expect(answer).to_contain_text("general information")  # an answer about risks
    toggle = answer.get_by_role("button", name="Sources (5)")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    links = answer.get_by_role("link")
    expect(links.first).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(answer.locator(".mg-source-list li")).to_have_count(5)
    expect(answer.locator(".mg-source-list li").last).to_be_visible()
    # a paper known only by its authors, journal and year has no link
    for i in range(links.count()):
        link = links.nth(i)
        expect(link).to_be_visible()
        assert link.get_attribute("target") == "_blank"
        assert "noopener" in link.get_attribute("rel").split()
        assert link.get_attribute("href").startswith("https://")
    box = answer.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    ANSWER_SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(ANSWER_SCREENSHOT))

    # a reload keeps the sources under their answers
    page.reload()
    expect(page.get_by_role("button", name="Sources (5)")).to_be_visible()
    assert_only_project_servers(tab, web_url, rasa_base_url)


def outline_width(page) -> float:
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    return 0.0 if style[0] == "none" else float(style[1].removesuffix("px"))


def test_the_widget_works_from_the_keyboard_at_360_px(watched, web_url, rasa_base_url):
    tab = watched(SMALL_PHONE)
    page = tab.page
    tab.open_page(web_url)
    launcher = page.get_by_role("button", name="Ask MesoGuide")

    page.keyboard.press("Tab")
    expect(launcher).to_be_focused()
    assert outline_width(page) >= 2, "no visible focus on the launcher"
    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name="MesoGuide")
    expect(panel).to_be_visible()
    assert panel.bounding_box()["width"] == SMALL_PHONE["width"]
    question = page.get_by_label("Type your question")
    expect(question).to_be_focused()

    page.keyboard.type("hi")
    page.keyboard.press("Enter")
    log = page.get_by_role("log")
    does_it_hurt = log.get_by_role("button", name="Does it hurt?")
    expect(does_it_hurt).to_be_visible(timeout=REPLY_TIMEOUT)
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    overflow = page.locator(".mg-log").evaluate("log => log.scrollWidth - log.clientWidth")
    assert overflow <= 0, "messages overflow sideways at 360 px"

    for _ in range(10):  # back from the input through the suggested replies
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.textContent") == "Does it hurt?":
            break
    expect(does_it_hurt).to_be_focused()
    assert outline_width(page) >= 2, "no visible focus on a suggested reply"
    page.keyboard.press("Enter")
    expect(question).to_be_focused()  # not lost with the buttons that went away
    expect(log).to_contain_text("small pinches", timeout=REPLY_TIMEOUT)

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert_only_project_servers(tab, web_url, rasa_base_url)


def test_new_chat_forgets_the_transcript_and_the_session(watched, web_url):
    tab = watched(PHONE)
    page = tab.page
    tab.open_page(web_url)
    question = open_and_ask(page, "does it hurt?")
    log = page.get_by_role("log")
    # New chat as soon as the first bubble lands, while the rest of the reply is on its way.
    expect(page.locator(".mg-from-bot").first).to_be_visible(timeout=REPLY_TIMEOUT)
    old_session = page.evaluate("window.MesoGuideWidget.sessionId()")

    page.get_by_role("button", name="New chat").click()
    expect(page.locator(".mg-message")).to_have_count(0)
    assert page.evaluate("window.MesoGuideWidget.sessionId()") != old_session
    assert page.evaluate("localStorage.getItem('mesoguide.transcript.v1')") is None
    question.fill("tell me more")  # a new conversation: there is no last topic to go on from
    question.press("Enter")
    expect(log).to_contain_text("automated assistant", timeout=REPLY_TIMEOUT)
    expect(log).not_to_contain_text("small pinches")  # nothing late from the old chat
    assert page.evaluate("window.MesoGuideWidget.sessionId()") != old_session


# Every WebSocket the page opens goes to an address the page's CSP does not allow, so it
# fails as behind a proxy that refuses WebSocket upgrades.
BLOCK_WEBSOCKETS = """
const RealWebSocket = window.WebSocket;
window.WebSocket = class extends RealWebSocket {
  constructor(url, protocols) { super("ws://127.0.0.1:9/blocked", protocols); }
};
"""


def test_long_polling_is_used_when_websockets_fail(watched, web_url, rasa_base_url):
    """The widget falls back to long-polling, which needs Rasa's CORS headers (--cors)."""
    tab = watched(PHONE, init_script=BLOCK_WEBSOCKETS)
    page = tab.page
    tab.open_page(web_url)
    open_and_ask(page, "how much does it cost?")
    expect(page.get_by_role("log")).to_contain_text("USD 250", timeout=REPLY_TIMEOUT)
    assert any(
        url.startswith(f"{rasa_base_url}/socket.io/") and "transport=polling" in url
        for url in tab.requests
    )
    tab.websockets = [url for url in tab.websockets if "/blocked" not in url]
    tab.errors = [error for error in tab.errors if "ws://127.0.0.1:9/blocked" not in error]
    assert_only_project_servers(tab, web_url, rasa_base_url)
