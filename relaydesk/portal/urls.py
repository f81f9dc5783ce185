"""The customer's side (status link, reply, reopen, survey, contact form)."""

urlpatterns: list = []
