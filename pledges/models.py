"""Models of the pledges app arrive with its own issue; the app is registered now so the layout is fixed."""
