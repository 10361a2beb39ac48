import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from core.models import User


def test_pages_carry_a_strict_content_security_policy(world, login):
    response = login(world.users["secretariat_x"]).get(reverse("blocs:bloc_list"))
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy


def test_templates_have_no_inline_scripts_or_handlers(world, login):
    client = login(world.users["secretariat_authority"])
    for url in (
        reverse("blocs:bloc_list"),
        reverse("blocs:bloc_detail", args=[world.bloc_x.pk, 2026]),
    ):
        body = client.get(url).content.decode()
        assert "<script>" not in body and " onclick=" not in body and "hx-on" not in body
        assert '"allowEval": false' in body


def test_anonymous_visitors_are_sent_to_the_login_page(db, client):
    response = client.get(reverse("blocs:bloc_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_five_wrong_passwords_lock_the_account(db, client):
    User.objects.create_user("nguoi-dung", password="dung-mat-khau-2026")
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "nguoi-dung", "password": "sai"})
    response = client.post(
        reverse("login"), {"username": "nguoi-dung", "password": "dung-mat-khau-2026"}
    )
    assert response.status_code == 429
    assert "tạm khóa 15 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_correct_password_signs_in(db, client):
    User.objects.create_user("nguoi-dung", password="dung-mat-khau-2026")
    response = client.post(
        reverse("login"), {"username": "nguoi-dung", "password": "dung-mat-khau-2026"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_sessions_end_when_idle_and_with_the_browser():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 30 * 60 <= settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert not getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)


def test_activity_renews_the_session_at_most_every_few_minutes(world, login, monkeypatch):
    client = login(world.users["officer_a"])
    first = client.session["_seen"]
    client.get(reverse("blocs:bloc_list"))
    assert client.session["_seen"] == first
    monkeypatch.setattr("core.middleware.time.time", lambda: first + 301)
    client.get(reverse("blocs:bloc_list"))
    assert client.session["_seen"] == first + 301


def test_not_found_and_forbidden_pages_are_in_vietnamese(world, login):
    client = login(world.users["officer_a"])
    missing = client.get(reverse("blocs:bloc_detail", args=[world.bloc_y.pk, 2026]))
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.content.decode()
    forbidden = client.get(reverse("blocs:bloc_edit", args=[world.bloc_x.pk]))
    assert forbidden.status_code == 403 and "Bạn không có quyền" in forbidden.content.decode()


def test_server_error_page_is_in_vietnamese(rf):
    from core.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500 and "Hệ thống đang gặp sự cố" in response.content.decode()


def test_interface_is_vietnamese_even_for_an_english_browser(world, login):
    client = login(world.users["officer_a"])
    body = client.get(
        reverse("blocs:bloc_list"), headers={"Accept-Language": "en-US,en"}
    ).content.decode()
    assert '<html lang="vi">' in body and "Khối, cụm thi đua" in body


def test_the_language_switch_gives_english(world, login):
    client = login(world.users["officer_a"])
    client.post(reverse("set_language"), {"language": "en", "next": "/blocs/"})
    body = client.get(reverse("blocs:bloc_list")).content.decode()
    assert '<html lang="en">' in body and "Emulation blocs and clusters" in body


def test_english_catalogue_translates_every_message():
    import polib

    catalogue = polib.pofile(str(settings.BASE_DIR / "locale/en/LC_MESSAGES/django.po"))
    missing = [entry.msgid for entry in catalogue if not entry.translated() and not entry.obsolete]
    assert missing == []
    assert catalogue.percent_translated() == 100


@pytest.mark.parametrize("code", ["vi", "en"])
def test_dates_are_written_day_month_year(code):
    import datetime as dt

    from django.utils.formats import date_format

    with translation.override(code):
        assert date_format(dt.date(2022, 12, 16), "DATE_FORMAT") == "16/12/2022"


_HTTPS_PROBE = """
import django
django.setup()
from django.test import Client
c = Client()
plain = c.get('/accounts/login/', headers={'host': 'thiduea.example.gov.vn'})
secure = c.get('/accounts/login/', headers={'host': 'thiduea.example.gov.vn', 'x-forwarded-proto': 'https'})
print(plain.status_code, plain.get('Location'))
print(secure.status_code, secure.get('Strict-Transport-Security'))
"""


def test_https_deployments_redirect_and_send_hsts_through_the_proxy_header():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "HTTPS": "true",
        "DJANGO_SETTINGS_MODULE": "thiduea.settings",
        "ALLOWED_HOSTS": "thiduea.example.gov.vn",
        "SECRET_KEY": "x" * 50,
    }
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", _HTTPS_PROBE],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out[0] == "301 https://thiduea.example.gov.vn/accounts/login/"
    assert out[1] == "200 max-age=31536000; includeSubDomains; preload"
