""" "Việc cần làm": what the signed-in person has to do now, gathered from every app.

Each app that gives people work keeps a ``todo.py`` with functions registered by
``@todo_source``; a source receives the user, their roles (``blocs.access.roles_of``) and today's
date and returns ``TodoItem``s. A source runs a fixed number of queries whatever the data.
"""

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

TODO_APPS = ("blocs", "pledges", "scoring", "awards", "reports")


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    detail: str = ""
    due: dt.date | None = None
    urgent: bool = False


Source = Callable[..., list[TodoItem]]
_SOURCES: list[Source] = []
_loaded = False


def todo_source(function: Source) -> Source:
    _SOURCES.append(function)
    return function


def _load() -> None:
    global _loaded
    if _loaded:
        return
    for app in TODO_APPS:
        if importlib.util.find_spec(app) and importlib.util.find_spec(f"{app}.todo"):
            importlib.import_module(f"{app}.todo")
    _loaded = True


def todo_for(*, user, roles, today: dt.date) -> list[TodoItem]:
    """Everything due for the person, the nearest deadline first, undated last."""
    _load()
    items = [item for source in _SOURCES for item in source(user=user, roles=roles, today=today)]
    return sorted(items, key=lambda i: (i.due is None, i.due or dt.date.max, i.title))
