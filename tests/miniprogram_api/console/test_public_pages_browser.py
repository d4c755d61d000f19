"""Public pages (``/p``) in a real browser (Playwright, system Chromium): the record page
checks its transparency-log proof with WebCrypto, a tampered proof is shown as failed, and
the printed notice renders on one A4 sheet. The ``browser_page`` fixture asserts that no
request left the origin. (Here beside the console's browser tests because the Playwright
harness is a session fixture of this directory: one Chromium for all browser tests.)
"""

from __future__ import annotations

import base64
import json
import re

from tests.miniprogram_api.console.helpers import screenshot
from tests.miniprogram_api.public_pages.conftest import board as board  # noqa: F401
from tests.miniprogram_api.public_pages.conftest import place as place  # noqa: F401


def test_a_public_record_page_verifies_its_proof_in_the_browser(browser_page, board):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})  # a phone, as in WeChat
    page.goto(f"/p/disclosures/{board['second'].id}")
    status = page.locator(".proof-status")
    status.filter(has_text="校验通过").wait_for()
    assert status.get_attribute("data-state") == "verified"
    steps = page.locator(".proof-steps li")
    assert steps.count() == 4
    assert all(steps.nth(i).get_attribute("data-ok") == "yes" for i in range(4))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "public-record-verified")


def test_a_tampered_proof_is_shown_as_failed(browser_page, board):
    page = browser_page

    def tamper(route):
        response = route.fetch()
        body = response.json()
        path = body["data"]["path"]
        first = bytearray(base64.b64decode(path[0]))
        first[0] ^= 0x01  # one bit of one hash
        path[0] = base64.b64encode(bytes(first)).decode()
        route.fulfill(response=response, body=json.dumps(body))

    page.route("**/proof/inclusion?*", tamper)
    page.goto(f"/p/disclosures/{board['first'].id}")
    status = page.locator(".proof-status")
    status.filter(has_text="校验失败").wait_for()
    assert status.get_attribute("data-state") == "failed"
    assert page.locator('.proof-steps li[data-ok="no"]').count() == 1


def test_a_printed_notice_fits_a4_with_its_qr_code(browser_page, board):
    page = browser_page
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    page.goto(f"/p/notices/{board['notice'].id}/print")
    page.get_by_role("heading", name="关于临街店面出租的公示").wait_for()
    qr = page.locator(".qr-box svg").bounding_box()
    assert qr and qr["width"] > 100 and qr["height"] > 100
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("getComputedStyle(document.querySelector('.body p')).textIndent") != "0px"
    screenshot(page, "printed-notice")
    pdf = page.pdf(format="A4", print_background=True)  # Chromium's own print to paper
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf)) == 1, "one A4 sheet"


def test_a_browser_without_ed25519_says_the_signature_was_not_checked(browser_page, board):
    page = browser_page
    page.add_init_script("""(() => {
      const original = crypto.subtle.importKey.bind(crypto.subtle);
      crypto.subtle.importKey = (format, key, algorithm, ...rest) =>
        (algorithm && algorithm.name === "Ed25519")
          ? Promise.reject(new DOMException("no Ed25519", "NotSupportedError"))
          : original(format, key, algorithm, ...rest);
    })();""")
    page.goto(f"/p/notices/{board['notice'].id}")
    status = page.locator(".proof-status")
    status.filter(has_text="无法校验签名").wait_for()
    assert status.get_attribute("data-state") == "partial"
    assert page.locator('.proof-steps li[data-ok="skip"]').inner_text().startswith(
        "— 本浏览器不支持 Ed25519")
