"""Accounts API: tokens, sign-up, passwords."""
from django.contrib.auth import get_user_model
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView

from .serializers import RegisterSerializer, UserSerializer
from .throttling import LoginRateThrottle


# simplejwt's token views are public (`permission_classes = ()`); the login
# rate applies on top of nothing else.
class TokenView(TokenObtainPairView):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    throttle_classes = [LoginRateThrottle]


class RegisterView(generics.CreateAPIView):  # expect: api/missing-rate-limit:error
    permission_classes = [AllowAny]
    # Turned off for a load test of the sign-up form and never restored.
    throttle_classes = []
    serializer_class = RegisterSerializer


class PasswordChangeView(APIView):  # ok: api/unauthenticated-endpoint, api/missing-rate-limit
    def post(self, request):
        user = request.user
        if not user.check_password(request.data.get("old_password", "")):
            return Response(status=400)
        user.set_password(request.data["new_password"])
        user.save()
        return Response(status=204)


class UserViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # ok: api/unauthenticated-endpoint
    queryset = get_user_model().objects.all()
    serializer_class = UserSerializer

    @action(detail=True, methods=["post"], url_path="set-password", permission_classes=[IsAdminUser])
    def set_password(self, request, pk=None):
        user = self.get_object()
        user.set_password(request.data["password"])
        user.save()
        return Response(status=204)
