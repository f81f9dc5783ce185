"""History rows that are written once and never changed: case events and problem events.

Both the queryset (update, delete, bulk_update) and the instance (save of an existing row,
delete) refuse, so no code path can rewrite the history by accident. The one allowed rewrite,
erasing a customer's words (DESIGN rule 15), is a named method on the case events' queryset.
"""

from django.db import models


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    refusal: type[AppendOnlyError] = AppendOnlyError
    rows = "Rows"

    def update(self, **kwargs):
        raise self.refusal(f"{self.rows} are append-only: they cannot be updated.")

    def delete(self):
        raise self.refusal(f"{self.rows} are append-only: they cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise self.refusal(f"{self.rows} are append-only: they cannot be updated.")


class AppendOnlyModel(models.Model):
    refusal: type[AppendOnlyError] = AppendOnlyError
    rows = "Rows"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.refusal(f"{self.rows} are append-only: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.refusal(f"{self.rows} are append-only: they cannot be deleted.")
