import os
import shutil

import pytest

from tests.conftest import need

# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are still
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session", autouse=True)
def _patient_expectations():
    # Autosaves wait 1.2 s before they are sent and a 2-core CI machine also runs the server,
    # the worker and Chromium: Playwright's default 5 s for an expectation is too tight there.
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    need(
        shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM),
        f"Chromium is not installed at {CHROMIUM}",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, settings):
    settings.AXES_ENABLED = False
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.js_errors = errors
    yield page
    artifacts = os.environ.get("TEST_ARTIFACTS")
    if artifacts:
        os.makedirs(artifacts, exist_ok=True)
    context.close()
