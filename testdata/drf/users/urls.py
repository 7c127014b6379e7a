from django.urls import path
from rest_framework.routers import SimpleRouter
from rest_framework_simplejwt.views import TokenRefreshView

from .views import PasswordChangeView, RegisterView, TokenView, UserViewSet

router = SimpleRouter(trailing_slash=False)
router.register("users", UserViewSet)

urlpatterns = [
    path("token/", TokenView.as_view(), name="token"),
    path("token/refresh/", TokenRefreshView.as_view(), name="token-refresh"),
    path("register/", RegisterView.as_view(), name="register"),
    path("password/", PasswordChangeView.as_view(), name="password-change"),
]
urlpatterns += router.urls
