"""Request handling in a real browser (Playwright, system Chromium): the grid worker resolves a
request with a photo chosen in the file picker and sees it on the timeline, served by the
console. The ``browser_page`` fixture asserts that no request left the app's origin."""

from __future__ import annotations

from app.media.models import Media
from app.requests import workflow
from app.requests.models import Request
from tests.miniprogram_api.console.helpers import browser_login, screenshot, submit
from tests.miniprogram_api.console.test_request_actions import image_bytes


def test_the_grid_worker_resolves_with_a_photo_and_sees_it_on_the_timeline(browser_page,
                                                                           staff_town):
    page = browser_page
    request = submit(staff_town)
    admin = staff_town.actor(staff_town.town_admin)
    workflow.accept_request(admin, request.id)
    workflow.dispatch_request(admin, request.id)
    workflow.start_request(staff_town.actor(staff_town.grid_worker), request.id)

    browser_login(page, "grid")
    page.get_by_role("heading", name="我的工作").wait_for()
    page.goto(f"/console/requests/{request.id}")
    page.get_by_role("heading", name=f"诉求 {request.tracking_no}").wait_for()
    page.get_by_label("办理结果（至少 5 个字，居民可见）").fill("已更换楼道灯泡，恢复照明")
    page.get_by_label("现场照片").set_input_files(
        {"name": "灯.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()})
    page.get_by_role("button", name="办结", exact=True).click()

    page.get_by_role("status").filter(has_text="已办结，等待居民评价").wait_for()
    assert page.locator('[data-field="status"]').inner_text() == "已办结"
    photo = page.get_by_role("img", name="办结照片 1")
    photo.wait_for()
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 32
    screenshot(page, "console-request-resolved-with-photo")
    assert Request.get_by_id(request.id).status == "resolved"
    assert Media.get().attached_to == f"request_resolution:{request.id}"
