from blocs.access import roles_of


def navigation(request):
    """Which menu entries the signed-in person sees; reads their roles once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    return {
        "nav_roles": roles,
        "nav_can_import": roles.can_import,
        "nav_can_create_bloc": bool(roles.writable_authority_ids) or roles.is_admin,
    }
