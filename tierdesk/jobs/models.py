"""One row per periodic job: when the scheduler last put it on the queue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    # The task's import path: stable across restarts and across machines.
    name = models.CharField(_("task"), max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)
    last_result_id = models.CharField(_("last task result"), max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name
