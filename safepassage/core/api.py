"""The core API: who am I, locations and staff accounts. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safepassage.core import selectors
from safepassage.core.actors import request_actor
from safepassage.core.drf import StandardPagination, StrictSerializer
from safepassage.core.errors import ValidationFailed
from safepassage.core.models import Location, LocationKind, User
from safepassage.core.roles import Role
from safepassage.core.services import locations as location_services
from safepassage.core.services import users as user_services
from safepassage.core.services.locations import CODE_PATTERN


class LocationOutput(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "code", "name", "kind", "region", "is_active"]


class UserOutput(serializers.ModelSerializer):
    roles = serializers.ListField(source="role_codes", child=serializers.CharField())
    locations = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "roles", "locations", "is_active"]

    def get_locations(self, user: User) -> list[str]:
        return [location.code for location in user.locations.all()]


class LocationCreateInput(StrictSerializer):
    code = serializers.RegexField(CODE_PATTERN.pattern, max_length=40)
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=LocationKind.choices)
    region = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class LocationUpdateInput(StrictSerializer):
    name = serializers.CharField(max_length=120, required=False)
    kind = serializers.ChoiceField(choices=LocationKind.choices, required=False)
    region = serializers.CharField(max_length=80, required=False, allow_blank=True)


class ReasonInput(StrictSerializer):
    reason = serializers.CharField(max_length=500)


class UserFields(StrictSerializer):
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), allow_empty=False, max_length=20
    )
    locations = serializers.ListField(
        child=serializers.SlugField(max_length=40),
        allow_empty=False,
        max_length=50,
        help_text="Location codes",
    )


class UserCreateInput(UserFields):
    username = serializers.CharField(max_length=60)


class UserUpdateInput(UserFields):
    full_name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(required=False)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices),
        allow_empty=False,
        max_length=20,
        required=False,
    )
    locations = serializers.ListField(
        child=serializers.SlugField(max_length=40), allow_empty=False, max_length=50, required=False
    )


class UserFilterInput(StrictSerializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    location = serializers.SlugField(required=False, max_length=40)
    status = serializers.ChoiceField(
        choices=["active", "deactivated", "all"], required=False, default="active"
    )
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


def _locations_by_code(codes: list[str]) -> list[Location]:
    found = {location.code: location for location in Location.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationFailed(
            extra={"fields": {"locations": [_("Unknown location code: %s") % ", ".join(missing)]}}
        )
    return [found[code] for code in codes]


class ListApi(APIView):
    """A list endpoint: paginated, and documented as paginated."""

    pagination_class = StandardPagination

    def paginated(self, request: Request, queryset: Any, serializer: type) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(serializer(page, many=True).data)


class MeApi(APIView):
    @extend_schema(responses=UserOutput, summary="The signed-in account")
    def get(self, request: Request) -> Response:
        return Response(UserOutput(request_actor(request)).data)


class LocationListApi(ListApi):
    @extend_schema(responses=LocationOutput(many=True), summary="List active locations")
    def get(self, request: Request) -> Response:
        found = selectors.location_list(actor=request_actor(request))
        return self.paginated(request, found, LocationOutput)

    @extend_schema(
        request=LocationCreateInput, responses={201: LocationOutput}, summary="Create a location"
    )
    def post(self, request: Request) -> Response:
        data = LocationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        location = location_services.location_create(
            actor=request_actor(request), **data.validated_data
        )
        return Response(LocationOutput(location).data, status=status.HTTP_201_CREATED)


class LocationDetailApi(APIView):
    @extend_schema(responses=LocationOutput, summary="One location")
    def get(self, request: Request, location_id: int) -> Response:
        location = selectors.location_get(actor=request_actor(request), location_id=location_id)
        return Response(LocationOutput(location).data)

    @extend_schema(
        request=LocationUpdateInput, responses=LocationOutput, summary="Change a location"
    )
    def patch(self, request: Request, location_id: int) -> Response:
        location = selectors.location_get(actor=request_actor(request), location_id=location_id)
        data = LocationUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        changes = {"name": location.name, "kind": location.kind, "region": location.region}
        changes.update(data.validated_data)
        location_services.location_update(
            actor=request_actor(request), location=location, **changes
        )
        location.refresh_from_db()
        return Response(LocationOutput(location).data)


class LocationStatusApi(APIView):
    deactivate = True

    @extend_schema(request=ReasonInput, responses=LocationOutput)
    def post(self, request: Request, location_id: int) -> Response:
        location = selectors.location_get(actor=request_actor(request), location_id=location_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = (
            location_services.location_deactivate
            if self.deactivate
            else location_services.location_reactivate
        )
        location = action(actor=request_actor(request), location=location, **data.validated_data)
        return Response(LocationOutput(location).data)


class LocationDeactivateApi(LocationStatusApi):
    deactivate = True


class LocationReactivateApi(LocationStatusApi):
    deactivate = False


class UserListApi(ListApi):
    @extend_schema(
        parameters=[UserFilterInput], responses=UserOutput(many=True), summary="List staff accounts"
    )
    def get(self, request: Request) -> Response:
        filters = UserFilterInput(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        criteria = filters.validated_data
        location = None
        if criteria.get("location"):
            location = _locations_by_code([criteria["location"]])[0]
        found = selectors.user_list(
            actor=request_actor(request),
            search=criteria.get("search", ""),
            role=criteria.get("role", ""),
            location=location,
            status=criteria["status"],
        )
        return self.paginated(request, found, UserOutput)

    @extend_schema(
        request=UserCreateInput, responses={201: UserOutput}, summary="Create a staff account"
    )
    def post(self, request: Request) -> Response:
        data = UserCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["locations"] = _locations_by_code(values["locations"])
        user = user_services.user_create(actor=request_actor(request), **values)
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class UserDetailApi(APIView):
    @extend_schema(responses=UserOutput, summary="One staff account (the read is logged)")
    def get(self, request: Request, user_id: int) -> Response:
        user = selectors.user_get(actor=request_actor(request), user_id=user_id)
        return Response(UserOutput(user).data)

    @extend_schema(request=UserUpdateInput, responses=UserOutput, summary="Change a staff account")
    def patch(self, request: Request, user_id: int) -> Response:
        user = selectors.user_get(actor=request_actor(request), user_id=user_id)
        data = UserUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = {
            "full_name": user.full_name,
            "email": user.email,
            "roles": user.role_codes,
            "locations": list(user.locations.all()),
        }
        updates = dict(data.validated_data)
        if "locations" in updates:
            updates["locations"] = _locations_by_code(updates["locations"])
        values.update(updates)
        user_services.user_update(actor=request_actor(request), user=user, **values)
        user = User.objects.prefetch_related("groups", "locations").get(pk=user.pk)
        return Response(UserOutput(user).data)


class UserStatusApi(APIView):
    deactivate = True

    @extend_schema(request=ReasonInput, responses=UserOutput)
    def post(self, request: Request, user_id: int) -> Response:
        user = selectors.user_get(actor=request_actor(request), user_id=user_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = user_services.user_deactivate if self.deactivate else user_services.user_reactivate
        user = action(actor=request_actor(request), user=user, **data.validated_data)
        return Response(UserOutput(user).data)


class UserDeactivateApi(UserStatusApi):
    deactivate = True


class UserReactivateApi(UserStatusApi):
    deactivate = False
