"""Writing a checked company file: create or update, in one transaction, only what differs.

relaydesk.setup.company_file reads and checks the file; this module applies the result.
Everything is matched by slug or username, so applying the same file twice changes nothing.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import models, transaction

from relaydesk.org import actions as org_actions
from relaydesk.org.customer_words import TEXTS
from relaydesk.org.models import (
    Category,
    Company,
    CustomerWords,
    ExecutiveRota,
    IntakeField,
    RealtimeTrigger,
    Staff,
    Tier,
)
from relaydesk.replies.phrases_actions import PhraseFields, save_company_phrases
from relaydesk.replies.phrases_defaults import default_phrases
from relaydesk.setup import letting_go
from relaydesk.setup.company_file import (
    CategoryEntry,
    CompanyFile,
    CompanySection,
    CustomerWordsSection,
    PhraseEntry,
    RotaEntry,
    StaffEntry,
    TierEntry,
    read_company_file,
)
from relaydesk.timekeeping import now


@dataclass
class Summary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    passed_on: int = 0  # open cases of people the file lets go (_apply_leaving)

    def count(self, what: str, created: bool, changed: bool = True) -> None:
        if created:
            self.created[what] = self.created.get(what, 0) + 1
        elif changed:
            self.updated[what] = self.updated.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        if not self.changed:
            return "Nothing to change: the company already matches the file."
        parts = [f"created {n} {what}" for what, n in self.created.items()]
        parts += [f"updated {n} {what}" for what, n in self.updated.items()]
        if self.passed_on:
            parts.append(f"passed on {self.passed_on} open case(s) of people who left")
        return "Done: " + ", ".join(parts) + "."


def apply_company_file(path: str | Path, *, at: datetime.datetime | None = None) -> Summary:
    """Check the whole file, then create or update the company in one transaction."""
    return apply_spec(read_company_file(path), at=at)


def apply_spec(spec: CompanyFile, *, at: datetime.datetime | None = None) -> Summary:
    """`at` dates the tier history the file starts or changes (default now): the demo's
    people joined when its history begins."""
    summary = Summary()
    with transaction.atomic():
        if spec.company is not None and Company.current() is None:
            _apply_phrases(default_phrases(), summary)  # a new company starts with ours
        if spec.company is not None:
            _apply_company(spec.company, summary)
        if spec.tiers is not None:
            _apply_tiers(spec.tiers, summary)
        for category in spec.categories:
            _apply_category(category, summary)
        _apply_staff(spec.staff, summary, at or now())
        if spec.executive_rota is not None:
            _apply_rota(spec.executive_rota, summary)
        if spec.customer_words is not None:
            _apply_customer_words(spec.customer_words, summary)
        _apply_phrases([_phrase(entry) for entry in spec.phrases], summary)
    return summary


def _phrase(entry: PhraseEntry) -> PhraseFields:
    return PhraseFields(
        title=entry.title, text=entry.text, principle=entry.principle, tags=entry.tags
    )


def _apply_phrases(phrases: Sequence[PhraseFields], summary: Summary) -> None:
    created, changed = save_company_phrases(phrases)
    for _ in range(created):
        summary.count("phrases", created=True)
    for _ in range(changed):
        summary.count("phrases", created=False)


def _update(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set the values that differ; save only if something did. True when it changed."""
    changed = [key for key, value in values.items() if getattr(instance, key) != value]
    for key in changed:
        setattr(instance, key, values[key])
    if changed:
        instance.save(update_fields=changed)
    return bool(changed)


def _apply_company(section: CompanySection, summary: Summary) -> None:
    values = section.model_dump(exclude_none=True)  # no script in the file: keep the one there is
    if "reopen_within" in values:  # minutes in the file's duration; the column says so
        values["reopen_within_minutes"] = values.pop("reopen_within")
    if "waiting_gives_up" in values:
        values["waiting_gives_up_minutes"] = values.pop("waiting_gives_up")
    company = Company.current()
    if company is None:
        Company.objects.create(**values)
        summary.count("company", created=True)
    else:
        summary.count("company", created=False, changed=_update(company, values))


def _apply_tiers(tiers: list[TierEntry], summary: Summary) -> None:
    existing = {tier.slug: tier for tier in Tier.objects.all()}
    wanted = {entry.slug: (rank, entry.name) for rank, entry in enumerate(tiers)}
    limits = {e.slug: e.goodwill_limit for e in tiers if e.goodwill_limit is not None}
    moving = [
        tier for slug, tier in existing.items() if slug in wanted and tier.rank != wanted[slug][0]
    ]
    # Ranks are unique: park the tiers that move out of the way before giving the new order.
    top = max([tier.rank for tier in existing.values()] + [len(tiers)]) + 1
    for offset, tier in enumerate(moving):
        tier.rank = top + offset
        tier.save(update_fields=["rank"])
    for slug, (rank, name) in wanted.items():
        found = existing.get(slug)
        limit = {"goodwill_limit": limits[slug]} if slug in limits else {}
        if found is None:
            Tier.objects.create(slug=slug, name=name, rank=rank, **limit)
            summary.count("tiers", created=True)
        else:
            changed = _update(found, {"name": name, "rank": rank, **limit}) or found in moving
            summary.count("tiers", created=False, changed=changed)


def _apply_category(entry: CategoryEntry, summary: Summary) -> None:
    values = {
        "name": entry.name,
        "solve_window_minutes": entry.solve_window,
        "tickle_after_minutes": entry.tickle_after,
        "active": entry.active,
    }
    category = Category.objects.filter(slug=entry.slug).first()
    created = category is None
    if category is None:
        position = Category.objects.count()
        category = Category.objects.create(slug=entry.slug, position=position, **values)
    changed = _update(category, values)
    # The file is the whole list of a category's fields and of its triggers.
    fields = {f.key: f.model_dump(exclude={"key"}) for f in entry.fields}
    triggers = {
        t.key: {"question": t.question, "customer_question": t.customer_question.strip()}
        for t in entry.realtime_triggers
    }
    changed = _apply_list(category, IntakeField, fields) or changed
    changed = _apply_list(category, RealtimeTrigger, triggers) or changed
    summary.count("categories", created=created, changed=changed)


def _apply_list(
    category: Category,
    model: type[IntakeField | RealtimeTrigger],
    wanted: dict[str, dict[str, Any]],
) -> bool:
    """Make the category's rows (matched by key) exactly `wanted`, in its order; True if changed."""
    existing = {row.key: row for row in model.objects.filter(category=category)}
    changed = False
    for position, (key, values) in enumerate(wanted.items()):
        row = existing.pop(key, None)
        if row is None:
            model.objects.create(category=category, key=key, position=position, **values)
            changed = True
        else:
            changed = _update(row, {**values, "position": position}) or changed
    if existing:
        model.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
        changed = True
    return changed


@functools.cache
def _hashed(password: str) -> str:
    """One hash per starting password in a run: hashing is slow on purpose (the demo has five)."""
    return make_password(password)


def _apply_user(entry: StaffEntry) -> tuple[User, bool, bool]:
    """The person's login, with whether it was created and whether it changed."""
    values = {
        "first_name": entry.first_name,
        "last_name": entry.last_name,
        "email": entry.email,
    }
    user = User.objects.filter(username=entry.username).first()
    if user is None:
        # Whether an existing login signs in is the leaving's and taking back's (_apply_leaving).
        user = User(username=entry.username, is_active=entry.active, **values)
        if entry.password:
            user.password = _hashed(entry.password)
        else:
            user.set_unusable_password()
        user.save()
        return user, True, True
    changed = _update(user, values)
    if entry.password and not user.has_usable_password():
        # A password in the file is a starting password: it never overwrites one the person
        # has chosen since.
        user.password = _hashed(entry.password)
        user.save(update_fields=["password"])
        changed = True
    return user, False, changed


def _apply_person(
    entry: StaffEntry,
    user: User,
    tiers: dict[str, Tier],
    categories: dict[str, Category],
    moment: datetime.datetime,
) -> tuple[Staff, bool]:
    """The staff row of a login, its tier history and skills; True when any changed. A tier
    changed in the file is a promotion (or a move down) dated now; `active` is applied after
    everyone else (_apply_leaving)."""
    tier = tiers[entry.tier]
    # Someone gone is off duty, whatever `on_duty` says (org.actions.deactivate).
    values = {"on_duty": entry.on_duty and entry.active, "realtime_handler": entry.realtime_handler}
    staff = Staff.objects.filter(user=user).first()
    if staff is None:
        staff = Staff(user=user, tier=tier, active=entry.active, **values)
        org_actions.join(staff, acting=None, at=moment)
        changed = True
    else:
        changed = _update(staff, values)
        promoted = org_actions.change_tier(staff, tier, acting=None, at=moment)
        changed = changed or promoted is not None
    wanted_skills = {categories[slug].pk for slug in entry.skills}
    if set(staff.skills.values_list("pk", flat=True)) != wanted_skills:
        staff.skills.set(wanted_skills)
        changed = True
    return staff, changed


def _apply_leaving(entry: StaffEntry, staff: Staff, summary: Summary) -> bool:
    """`active = false` for someone active lets them go (their open cases passed on first, once
    everyone else in the file is on duty as it says); `true` for someone gone takes them back.
    True when it changed them. A case that cannot be passed on stops the whole file."""
    here = staff.active and staff.user.is_active
    if entry.active == here:
        return False
    if entry.active:
        org_actions.reactivate(staff, acting=None)  # on duty as the file says (_apply_person)
        return True
    summary.passed_on += len(letting_go.let_go(staff, acting=None))
    return True


def _apply_staff(entries: list[StaffEntry], summary: Summary, moment: datetime.datetime) -> None:
    tiers = {tier.slug: tier for tier in Tier.objects.all()}
    categories = {category.slug: category for category in Category.objects.all()}
    people: dict[str, Staff] = {}
    created_people: set[str] = set()
    changed_people: set[str] = set()
    for entry in entries:
        user, created, user_changed = _apply_user(entry)
        staff, staff_changed = _apply_person(entry, user, tiers, categories, moment)
        people[entry.username] = staff
        if created:
            created_people.add(entry.username)
        elif user_changed or staff_changed:
            changed_people.add(entry.username)

    for entry in entries:  # leads last: a lead may come later in the file than their team
        staff = people[entry.username]
        lead = None
        if entry.lead is not None:
            lead = people.get(entry.lead) or Staff.objects.get(user__username=entry.lead)
        if staff.lead_id != (lead.pk if lead else None):
            staff.lead = lead
            staff.save(update_fields=["lead"])
            changed_people.add(entry.username)

    for entry in entries:
        if _apply_leaving(entry, people[entry.username], summary):
            changed_people.add(entry.username)

    for _ in created_people:
        summary.count("staff", created=True)
    for _ in changed_people - created_people:
        summary.count("staff", created=False)


def _apply_rota(rota: list[RotaEntry], summary: Summary) -> None:
    """The file's rota is the whole rota: entries not in the file are removed."""
    staff_by_username = {
        staff.user.username: staff
        for staff in Staff.objects.filter(
            user__username__in={entry.username for entry in rota}
        ).select_related("user")
    }
    keep = set()
    for entry in rota:
        row, created = ExecutiveRota.objects.get_or_create(
            staff=staff_by_username[entry.username],
            starts_on=entry.starts_on,
            ends_on=entry.ends_on,
        )
        keep.add(row.pk)
        if created:
            summary.count("rota entries", created=True)
    stale = ExecutiveRota.objects.exclude(pk__in=keep)
    removed = stale.count()
    if removed:
        stale.delete()
        summary.updated["rota entries removed"] = removed


def _apply_customer_words(section: CustomerWordsSection, summary: Summary) -> None:
    """Each text the file gives becomes the company's; "" (or our own words) is ours again. A
    text the file leaves out keeps what it has, which the admin may have written."""
    existing = {row.name: row for row in CustomerWords.objects.all()}
    for name, text in section.model_dump(exclude_none=True).items():
        row = existing.get(name)
        if not text or text == TEXTS[name].default:
            if row is not None:
                row.delete()
                summary.count("customer words", created=False)
        elif row is None:
            CustomerWords.objects.create(name=name, text=text)
            summary.count("customer words", created=True)
        else:
            changed = _update(row, {"text": text})
            summary.count("customer words", created=False, changed=changed)
