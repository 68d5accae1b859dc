from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hamroh.core.roles import Role, capabilities_of

# --- Reference data -----------------------------------------------------------------


class Multilingual(models.Model):
    """Names kept in Tajik, Russian and English; shown in the reader's language."""

    name_en = models.CharField(_("name (English)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_tg = models.CharField(_("name (Tajik)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        # A Tajik reader who lacks a Tajik name reads Russian better than English.
        order = {"tg": ("tg", "ru", "en"), "ru": ("ru", "en", "tg")}.get(
            (translation.get_language() or "en")[:2], ("en", "ru", "tg")
        )
        for lang in order:
            value = getattr(self, f"name_{lang}")
            if value:
                return str(value)
        return ""


class Country(Multilingual):
    """ISO 3166-1."""

    alpha3 = models.CharField(_("ISO alpha-3 code"), max_length=3, primary_key=True)
    alpha2 = models.CharField(_("ISO alpha-2 code"), max_length=2, unique=True)
    numeric = models.CharField(_("ISO numeric code"), max_length=3, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class Subdivision(Multilingual):
    """ISO 3166-2:TJ regions and the districts and cities within them."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        DISTRICT = "district", _("District")
        CITY = "city", _("City")

    code = models.CharField(_("code"), max_length=40, primary_key=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region or district")
        verbose_name_plural = _("regions and districts")


class Occupation(Multilingual):
    """ISCO-08 groups."""

    code = models.CharField(_("ISCO-08 code"), max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation group")
        verbose_name_plural = _("occupation groups")


class Sector(Multilingual):
    """ISIC Rev.4 sections."""

    code = models.CharField(_("ISIC Rev.4 section"), max_length=1, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("economic sector")
        verbose_name_plural = _("economic sectors")


# --- Agencies and users ---------------------------------------------------------------


class Agency(Multilingual):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry or state agency")
        REPRESENTATION = "representation", _("Representation abroad")
        PARTNER = "partner", _("Partner organisation")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, verbose_name=_("country"), related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    is_operator = models.BooleanField(
        _("operates the platform"),
        default=False,
        help_text=_("Administrators of an operating agency manage every agency and user."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")


class User(AbstractUser):
    """A person (or a partner system) who works in Hamroh for one agency, in one role."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=5,
        blank=True,
        choices=[("tg", "Тоҷикӣ"), ("ru", "Русский"), ("en", "English")],
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def can(self, capability: str) -> bool:
        if not self.is_active or self.agency is None or not self.agency.is_active:
            return False
        return capability in capabilities_of(self.role)

    @property
    def sees_all_agencies(self) -> bool:
        return self.agency is not None and self.agency.is_operator


# --- Audit ----------------------------------------------------------------------------


class AuditEntry(models.Model):
    """One read or write of protected data. Append-only and hash-chained.

    Stores which fields were touched, never their values.
    """

    class Action(models.TextChoices):
        READ = "read", _("read")
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        EXPORT = "export", _("export")
        LOGIN = "login", _("sign in")
        LOGIN_FAILED = "login_failed", _("failed sign-in")
        LOGOUT = "logout", _("sign out")
        DENIED = "denied", _("access denied")

    # Assigned by the appender under the chain lock, so the hash can cover it.
    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency_code = models.CharField(_("agency"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True, db_index=True)
    subject_agency_code = models.CharField(max_length=40, blank=True, db_index=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    request_id = models.CharField(_("request"), max_length=36, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_id}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Audit entries are append-only.")


class AuditChainHead(models.Model):
    """The last link of the chain: one row, locked while an entry is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"head #{self.seq}"
