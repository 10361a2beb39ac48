"""Every form of every app, filled with hostile input by hypothesis: never a server error.

The forms are found, not listed: each GET page of the permission matrix is opened as the
administrator and as the secretariat of bloc X, and every ``<form method="post">`` on it is posted
back with generated values for its fields (Vietnamese typed in combining mode, huge and negative
numbers, dates that do not exist, markup, very long text, nothing at all). A rejection must come
back as a page (200) or a redirect, never a 500; a 200 that rejects shows its reason in the page.
"""

import re
from html import unescape

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_permission_matrix import MATRIX, matrix_world  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _sessions_in_the_database(settings):
    # Each example is rolled back; a cached session would outlive its rolled-back row and fail
    # the next example's save. The rollback is the test's device, not the app's: keep the
    # session where the rollback reaches it.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
ACTION = re.compile(r"action=\"([^\"]*)\"")
FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"[^>]*>", re.I)
TYPE = re.compile(r"\btype=\"([^\"]+)\"", re.I)
SKIP_FIELDS = {"csrfmiddlewaretoken", "language", "next"}
# Not forms people fill: the language switch and signing out are in every page's header.
SKIP_ACTIONS = ("/i18n/setlang/", "/accounts/logout/")

hostile_text = st.one_of(
    st.just(""),
    st.just("Vie\u0323\u0302n kie\u0302\u0309m sa\u0301t"),  # NFD Vietnamese
    st.just("<script>alert(1)</script>"),
    st.just("' OR 1=1 --"),
    st.just('=HYPERLINK("http://x")'),
    st.text(min_size=0, max_size=40),
    st.text(min_size=300, max_size=600),
)
hostile_number = st.one_of(
    st.just("-1"),
    st.just("0"),
    st.just("99999999999999999999"),
    st.just("1e309"),
    st.just("12,5"),
    st.just("NaN"),
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
)
hostile_date = st.one_of(
    st.just("2023-02-30"),
    st.just("31/02/2024"),
    st.just("0000-00-00"),
    st.just("9999-12-31"),
    st.just("hôm qua"),
    st.dates().map(lambda d: d.isoformat()),
)


def _forms(html: str, page_url: str):
    for match in FORM.finditer(html):
        opening = html[match.start() : html.index(">", match.start()) + 1]
        action = unescape(ACTION.search(opening).group(1)) if ACTION.search(opening) else page_url
        if not action or action.startswith("?"):
            action = page_url + (action or "")
        if any(action.startswith(skip) for skip in SKIP_ACTIONS):
            continue
        fields = {}
        for field in FIELD.finditer(match.group(1)):
            name = field.group(1)
            kind = TYPE.search(field.group(0))
            if name not in SKIP_FIELDS:
                fields[name] = kind.group(1).lower() if kind else "text"
        yield action, fields


def _value(kind: str):
    if kind == "number":
        return hostile_number
    if kind in ("date", "datetime-local"):
        return hostile_date
    if kind == "file":
        return st.none()
    if kind in ("checkbox", "radio", "hidden"):
        return st.one_of(hostile_number, hostile_text)
    return st.one_of(hostile_text, hostile_number)


GET_PAGES = [
    name for name, (method, _kwargs, _data, _expected) in MATRIX.items() if method == "get"
]


@pytest.mark.parametrize("persona", ["admin", "secretariat_x"])
@pytest.mark.parametrize("name", GET_PAGES)
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_never_causes_a_server_error(matrix_world, client, name, persona, data):  # noqa: F811
    _method, kwargs, _data, _expected = MATRIX[name]
    # Each example starts from the same world: a post that succeeds (a period closed, a table
    # frozen) would change the page's forms, and so what the next example draws.
    with transaction.atomic():
        client.force_login(matrix_world.users[persona])
        url = reverse(name, kwargs=kwargs(matrix_world) if kwargs else None)
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            transaction.set_rollback(True)
            return
        for action, fields in _forms(page.content.decode(), url):
            values = {
                field: data.draw(_value(kind), label=f"{action} {field}")
                for field, kind in fields.items()
            }
            response = client.post(action, {k: v for k, v in values.items() if v is not None})
            assert response.status_code < 500, (action, values)
        transaction.set_rollback(True)
