"""The signal handlers that feed the queue: saves, deletes and many-to-many
changes of every indexed or watched model (see :mod:`search.indexer`)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from search import due
from search.index import Index, all_indexes
from search.queue import enqueue


def _indexes_of(model) -> list[Index]:
    return [index for index in all_indexes() if index.model is model]


def _watches_of(model) -> list[tuple[Index, Callable]]:
    return [
        (index, watch.affected)
        for index in all_indexes()
        for watch in index.watches
        if watch.model is model
    ]


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture's own rebuild follows
        return
    _changed(sender, instance)


def _changed(sender, instance) -> None:
    for index in _indexes_of(sender):
        enqueue(index.name, [instance.pk])
    for index, affected in _watches_of(sender):
        enqueue(index.name, list(affected(instance)))


def _deleting(sender, instance, **kwargs):
    # Before the delete, while the relations that say what is affected exist.
    for index, affected in _watches_of(sender):
        enqueue(index.name, list(affected(instance)))


def _deleted(sender, instance, **kwargs):
    for index in _indexes_of(sender):
        enqueue(index.name, [instance.pk])


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    for index in all_indexes():
        ids: list = []
        if isinstance(instance, index.model):
            ids = [instance.pk]
        elif model is index.model:
            if action == "pre_clear":
                ids = _related_through(sender, instance, index.model)
            else:
                ids = list(pk_set or ())
        if ids:
            enqueue(index.name, ids)


def _related_through(through, instance, target) -> list:
    source = next(
        (
            f
            for f in through._meta.fields
            if f.is_relation and isinstance(instance, f.related_model)
        ),
        None,
    )
    dest = next(
        (f for f in through._meta.fields if f.is_relation and f.related_model is target), None
    )
    if source is None or dest is None:
        return []
    return list(
        through._default_manager.filter(**{source.attname: instance.pk}).values_list(
            dest.attname, flat=True
        )
    )


def _through_models(model) -> set:
    throughs = set()
    for f in model._meta.get_fields():
        if f.many_to_many and not f.auto_created:
            through = getattr(f.remote_field, "through", None)
            if isinstance(through, type) and issubclass(through, models.Model):
                throughs.add(through)
    return throughs


_connected = False


def connect_signals() -> None:
    """Connect every registered index's model, watched models and M2M through
    models (called by ``SearchConfig.ready``)."""
    global _connected
    if _connected:
        return
    _connected = True
    indexed = {index.model for index in all_indexes()}
    watched = {watch.model for index in all_indexes() for watch in index.watches}
    for model in indexed | watched:
        uid = f"search.indexer.{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid + ".save")
        pre_delete.connect(_deleting, sender=model, dispatch_uid=uid + ".pre_delete")
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid + ".delete")
    _connect_schedules()
    for model in indexed:
        for through in _through_models(model):
            m2m_changed.connect(
                _m2m_changed,
                sender=through,
                dispatch_uid=f"search.indexer.m2m.{through._meta.label}",
            )


def _connect_schedules() -> None:
    # A save of an object that becomes findable later may bring the next due
    # time earlier (``search.due``).
    for index in due.scheduled_indexes():
        post_save.connect(
            due.noticed, sender=index.model, dispatch_uid=f"search.due.{index.model._meta.label}"
        )
