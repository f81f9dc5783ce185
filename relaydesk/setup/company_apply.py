"""Writing a checked company file: create or update, in one transaction, only what differs.

relaydesk.setup.company_file reads and checks the file; this module applies the result.
Everything is matched by slug or username, so applying the same file twice changes nothing.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from relaydesk.org.models import (
    Category,
    Company,
    ExecutiveRota,
    IntakeField,
    RealtimeTrigger,
    Staff,
    Tier,
    TierHistory,
)
from relaydesk.setup.company_file import CategorySpec, CompanySpec, StaffSpec, read_company_file
from relaydesk.timekeeping import now


@dataclass
class Summary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

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
        return "Done: " + ", ".join(parts) + "."


def apply_company_file(path: str | Path) -> Summary:
    """Check the whole file, then create or update the company in one transaction."""
    spec = read_company_file(path)
    return apply_spec(spec)


def apply_spec(spec: CompanySpec) -> Summary:
    summary = Summary()
    with transaction.atomic():
        if spec.company is not None:
            _apply_company(spec.company, summary)
        if spec.tiers is not None:
            _apply_tiers(spec.tiers, summary)
        for category in spec.categories:
            _apply_category(category, summary)
        _apply_staff(spec.staff, summary)
        if spec.rota is not None:
            _apply_rota(spec.rota, summary)
    return summary


def _update(instance, values: dict) -> bool:
    """Set the values that differ; save only if something did. True when it changed."""
    changed = [key for key, value in values.items() if getattr(instance, key) != value]
    for key in changed:
        setattr(instance, key, values[key])
    if changed:
        instance.save(update_fields=changed)
    return bool(changed)


def _apply_company(values: dict, summary: Summary) -> None:
    company = Company.current()
    if company is None:
        Company.objects.create(**values)
        summary.count("company", created=True)
    else:
        summary.count("company", created=False, changed=_update(company, values))


def _apply_tiers(tiers: list[tuple[str, str]], summary: Summary) -> None:
    existing = {tier.slug: tier for tier in Tier.objects.all()}
    wanted = {slug: (rank, name) for rank, (slug, name) in enumerate(tiers)}
    moving = [
        tier for slug, tier in existing.items() if slug in wanted and tier.rank != wanted[slug][0]
    ]
    # Ranks are unique: park the tiers that move out of the way before giving the new order.
    top = max([tier.rank for tier in existing.values()] + [len(tiers)]) + 1
    for offset, tier in enumerate(moving):
        tier.rank = top + offset
        tier.save(update_fields=["rank"])
    for slug, (rank, name) in wanted.items():
        tier = existing.get(slug)
        if tier is None:
            Tier.objects.create(slug=slug, name=name, rank=rank)
            summary.count("tiers", created=True)
        else:
            changed = _update(tier, {"name": name, "rank": rank}) or tier in moving
            summary.count("tiers", created=False, changed=changed)


def _apply_category(spec: CategorySpec, summary: Summary) -> None:
    values = {
        "name": spec.name,
        "solve_window_minutes": spec.solve_window_minutes,
        "tickle_after_minutes": spec.tickle_after_minutes,
        "active": spec.active,
    }
    category = Category.objects.filter(slug=spec.slug).first()
    created = category is None
    if created:
        position = Category.objects.count()
        category = Category.objects.create(slug=spec.slug, position=position, **values)
    changed = created or _update(category, values)

    fields = {f.key: f for f in category.fields.all()}
    for position, field_spec in enumerate(spec.fields):
        field_values = {
            "label": field_spec.label,
            "type": field_spec.type,
            "required": field_spec.required,
            "choices": field_spec.choices,
            "help_text": field_spec.help_text,
            "position": position,
        }
        existing = fields.pop(field_spec.key, None)
        if existing is None:
            IntakeField.objects.create(category=category, key=field_spec.key, **field_values)
            changed = True
        else:
            changed = _update(existing, field_values) or changed
    if fields:  # the file is the whole list of a category's fields
        IntakeField.objects.filter(pk__in=[f.pk for f in fields.values()]).delete()
        changed = True

    triggers = {t.key: t for t in category.realtime_triggers.all()}
    for position, (key, question) in enumerate(spec.triggers):
        existing = triggers.pop(key, None)
        if existing is None:
            RealtimeTrigger.objects.create(
                category=category, key=key, question=question, position=position
            )
            changed = True
        else:
            changed = _update(existing, {"question": question, "position": position}) or changed
    if triggers:
        RealtimeTrigger.objects.filter(pk__in=[t.pk for t in triggers.values()]).delete()
        changed = True
    summary.count("categories", created=created, changed=changed)


@functools.cache
def _hashed(password: str) -> str:
    """One hash per starting password in a run: hashing is slow on purpose (the demo has five)."""
    return make_password(password)


def _apply_staff(specs: list[StaffSpec], summary: Summary) -> None:
    tiers = {tier.slug: tier for tier in Tier.objects.all()}
    categories = {category.slug: category for category in Category.objects.all()}
    moment = now()
    people: dict[str, Staff] = {}
    changed_people: set[str] = set()
    created_people: set[str] = set()
    for spec in specs:
        user = User.objects.filter(username=spec.username).first()
        user_values = {
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": spec.email,
            "is_active": spec.active,
        }
        created = user is None
        if created:
            user = User(username=spec.username, **user_values)
            if spec.password:
                user.password = _hashed(spec.password)
            else:
                user.set_unusable_password()
            user.save()
        else:
            if _update(user, user_values):
                changed_people.add(spec.username)
            if spec.password and not user.has_usable_password():
                # A password in the file is a starting password: it never overwrites one the
                # person has chosen since.
                user.password = _hashed(spec.password)
                user.save(update_fields=["password"])
                changed_people.add(spec.username)
        tier = tiers[spec.tier]
        staff = Staff.objects.filter(user=user).first()
        staff_values = {
            "tier": tier,
            "on_duty": spec.on_duty,
            "active": spec.active,
            "realtime_handler": spec.realtime_handler,
        }
        if staff is None:
            staff = Staff.objects.create(user=user, **staff_values)
            TierHistory.objects.create(staff=staff, tier=tier, since=moment)
            if not created:
                changed_people.add(spec.username)
        else:
            previous_tier_id = staff.tier_id
            if _update(staff, staff_values):
                changed_people.add(spec.username)
            if previous_tier_id != tier.pk:
                TierHistory.objects.create(staff=staff, tier=tier, since=moment)
        wanted_skills = {categories[slug].pk for slug in spec.skills}
        if set(staff.skills.values_list("pk", flat=True)) != wanted_skills:
            staff.skills.set(wanted_skills)
            changed_people.add(spec.username)
        people[spec.username] = staff
        if created:
            created_people.add(spec.username)
            summary.count("staff", created=True)

    for spec in specs:  # leads last: a lead may come later in the file than their team
        staff = people[spec.username]
        lead = None
        if spec.lead is not None:
            lead = people.get(spec.lead) or Staff.objects.get(user__username=spec.lead)
        if staff.lead_id != (lead.pk if lead else None):
            staff.lead = lead
            staff.save(update_fields=["lead"])
            changed_people.add(spec.username)

    for _ in changed_people - created_people:
        summary.count("staff", created=False)


def _apply_rota(rota: list[tuple[str, datetime.date, datetime.date]], summary: Summary) -> None:
    """The file's rota is the whole rota: entries not in the file are removed."""
    staff_by_username = {
        staff.user.username: staff
        for staff in Staff.objects.filter(
            user__username__in={u for u, _, _ in rota}
        ).select_related("user")
    }
    keep = set()
    for username, starts_on, ends_on in rota:
        entry, created = ExecutiveRota.objects.get_or_create(
            staff=staff_by_username[username], starts_on=starts_on, ends_on=ends_on
        )
        keep.add(entry.pk)
        if created:
            summary.count("rota entries", created=True)
    stale = ExecutiveRota.objects.exclude(pk__in=keep)
    removed = stale.count()
    if removed:
        stale.delete()
        summary.updated["rota entries removed"] = removed
