"""Machine interface of the registry. Thin: parse, call a service or selector, serialise."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from hamroh.core.models import Occupation, Subdivision, User
from hamroh.identity.engine.records import BirthDate
from hamroh.registry import selectors, services
from hamroh.registry.models import Education, Language, Person, PersonName, Sex


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class BirthDateField(serializers.CharField):
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, as registries know it."""

    def to_internal_value(self, data: Any) -> BirthDate:  # type: ignore[override]
        try:
            parsed = BirthDate.parse(str(data))
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None
        if parsed is None:
            raise serializers.ValidationError("required")
        return parsed

    def to_representation(self, value: Any) -> str:
        return str(value)


class RegistryNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonName
        fields = ["surname", "given_name", "patronymic", "script", "source", "valid_until"]
        read_only_fields = ["valid_until"]


class RegistryPersonListSerializer(serializers.ModelSerializer):
    birth_date = serializers.CharField(source="birth_date_text", read_only=True)

    class Meta:
        model = Person
        fields = [
            "public_id",
            "sex",
            "birth_date",
            "region",
            "district",
            "occupation",
            "education",
            "source",
            "created_at",
        ]


class RegistryPersonSerializer(RegistryPersonListSerializer):
    names = RegistryNameSerializer(many=True, read_only=True)
    phones = serializers.SerializerMethodField()
    passport = serializers.SerializerMethodField()

    class Meta(RegistryPersonListSerializer.Meta):
        fields = [
            *RegistryPersonListSerializer.Meta.fields,
            "languages",
            "names",
            "phones",
            "passport",
            "consent_at",
            "consent_version",
        ]

    def get_phones(self, person: Person) -> list[str]:
        return [phone.number for phone in person.phones.all()]

    def get_passport(self, person: Person) -> dict[str, Any] | None:
        passport = selectors.passport_of(person)
        if passport is None:
            return None
        return {
            "number": passport.number,
            "issue_date": passport.issue_date,
            "expiry_date": passport.expiry_date,
        }


class RegistryRegisterSerializer(serializers.Serializer):
    names = RegistryNameSerializer(many=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = BirthDateField()
    region = serializers.PrimaryKeyRelatedField(queryset=Subdivision.objects.all())
    district = serializers.PrimaryKeyRelatedField(
        queryset=Subdivision.objects.all(), required=False, allow_null=True
    )
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    passport_number = serializers.CharField(required=False, allow_blank=True, default="")
    passport_issue_date = serializers.DateField(required=False, allow_null=True)
    passport_expiry_date = serializers.DateField(required=False, allow_null=True)
    education = serializers.ChoiceField(choices=Education.choices, required=False, default="")
    occupation = serializers.PrimaryKeyRelatedField(
        queryset=Occupation.objects.all(), required=False, allow_null=True
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False, default=list
    )
    consent = serializers.BooleanField()
    consent_version = serializers.CharField(default=services.CONSENT_VERSION)


class RegisteredSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    access_code = serializers.CharField(help_text="Shown once: give it to the person.")


class UpdatePersonSerializer(serializers.Serializer):
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    birth_date = BirthDateField(required=False)
    region = serializers.PrimaryKeyRelatedField(queryset=Subdivision.objects.all(), required=False)
    district = serializers.PrimaryKeyRelatedField(
        queryset=Subdivision.objects.all(), required=False, allow_null=True
    )
    education = serializers.ChoiceField(choices=Education.choices, required=False)
    occupation = serializers.PrimaryKeyRelatedField(
        queryset=Occupation.objects.all(), required=False, allow_null=True
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices), required=False
    )
    phone = serializers.CharField(required=False, allow_blank=True)
    passport_number = serializers.CharField(required=False)
    passport_issue_date = serializers.DateField(required=False, allow_null=True)
    passport_expiry_date = serializers.DateField(required=False, allow_null=True)


class PersonViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """People in the registry. Reading one person is audited; the list holds no names."""

    lookup_field = "public_id"
    serializer_class = RegistryPersonListSerializer

    def get_queryset(self) -> Any:
        people = selectors.list_people_for(_actor(self.request)).order_by("-id")
        region = self.request.query_params.get("region")
        return people.filter(region_id=region) if region else people

    @extend_schema(responses=RegistryPersonSerializer)
    def retrieve(self, request: Request, public_id: str) -> Response:
        person = selectors.access_person(user=_actor(request), public_id=public_id)
        return Response(RegistryPersonSerializer(person).data)

    @extend_schema(request=RegistryRegisterSerializer, responses={201: RegisteredSerializer})
    def create(self, request: Request) -> Response:
        data = RegistryRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        names = [
            services.NameInput(
                n["surname"],
                n["given_name"],
                n.get("patronymic", ""),
                n["script"],
                n["source"],
            )
            for n in values.pop("names")
        ]
        person, code = services.register_person(
            actor=_actor(request), names=names, source=Person.Source.DESK, **values
        )
        return Response(
            {"public_id": person.public_id, "access_code": code}, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=UpdatePersonSerializer, responses=RegistryPersonSerializer)
    def partial_update(self, request: Request, public_id: str) -> Response:
        actor = _actor(request)
        person = selectors.access_person(user=actor, public_id=public_id)
        data = UpdatePersonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_person(actor=actor, person=person, **data.validated_data)
        person = selectors.with_details(selectors.list_people_for(actor)).get(pk=person.pk)
        return Response(RegistryPersonSerializer(person).data)
