"""Sign-in backend that reads the person and their roles in one query.

Every signed-in request needs both: the menu, the to-do list and every access check start from
``blocs.access.roles_of``. Reading them apart cost a query a page on top of the session's.
"""

from django.contrib.auth.backends import ModelBackend, UserModel
from django.db.models import CharField, F, Q, StringAgg, Value
from django.db.models.functions import Cast, Coalesce, Concat

ROW_SEPARATOR = ";"
FIELD_SEPARATOR = ":"
ROLE_FIELDS = ("kind", "authority_id", "bloc_id", "unit_id", "year")


def _as_text(field):
    return Coalesce(Cast(field, CharField()), Value(""))


def role_rows_annotation():
    """One text holding every role of the person: ``kind:authority:bloc:unit:year;…``."""
    parts = []
    for name in ROLE_FIELDS:
        if parts:
            parts.append(Value(FIELD_SEPARATOR))
        parts.append(F(f"roles__{name}") if name == "kind" else _as_text(f"roles__{name}"))
    return StringAgg(
        Concat(*parts, output_field=CharField()),
        Value(ROW_SEPARATOR),
        filter=Q(roles__isnull=False),
        default=Value(""),
    )


def parse_role_rows(text: str):
    """The (kind, authority_id, bloc_id, unit_id, year) tuples written by role_rows_annotation."""
    for row in filter(None, text.split(ROW_SEPARATOR)):
        kind, *ids = row.split(FIELD_SEPARATOR)
        yield (kind, *(int(value) if value else None for value in ids))


class UserWithRolesBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.annotate(role_rows=role_rows_annotation()).get(
                pk=user_id
            )
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
