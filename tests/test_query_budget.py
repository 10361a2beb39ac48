"""Every page stays within the query budget of DESIGN §7.15 (≤ 10 a page), for every persona
who may open it.

The pages are the permission matrix's GET rows, opened by each persona the matrix expects to get
the page (200). Constancy in data size is asserted beside each app's views, where the data can
be grown; this test holds the ceiling for all pages at once, so a new page or a new read on an
old one cannot go over it unnoticed.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.test_permission_matrix import MATRIX, PERSONAS, matrix_world  # noqa: F401

BUDGET = 10
# Pages still over the budget, each at its measured count, so none can grow unnoticed. Both
# assemble a bloc-year from several apps' reads (rules, records, vetoes, facts, quotas, ballots;
# the progress page: six apps' steps); bringing them under 10 means merging those reads.
OVER_BUDGET = {
    "reports:dashboard": 14,
    "awards:bloc_year": 12,
}
# Transaction control is not a read (the tests' own transaction adds savepoints).
_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")

PAGES = [
    pytest.param(name, persona, id=f"{name}-{persona}")
    for name, (method, _kwargs, _data, expected) in MATRIX.items()
    if method == "get"
    for persona, status in zip(PERSONAS, expected, strict=True)
    if status == 200 and persona != "anonymous"
]


@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_every_page_stays_within_the_query_budget(matrix_world, client, name, persona):  # noqa: F811
    _method, kwargs, data, _expected = MATRIX[name]
    w = matrix_world
    url = reverse(name, kwargs=kwargs(w) if kwargs else None)
    client.force_login(w.users[persona])
    # The first page after signing in stamps the session's idle clock (one write); measure the
    # steady state after it.
    client.get(url, data(w) if data else {})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data(w) if data else {})
    assert response.status_code == 200
    queries = [
        q["sql"] for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(_CONTROL)
    ]
    assert len(queries) <= OVER_BUDGET.get(name, BUDGET), "\n".join(q[:200] for q in queries)


def test_the_pages_over_the_budget_are_still_pages():
    assert set(OVER_BUDGET) <= set(MATRIX)
