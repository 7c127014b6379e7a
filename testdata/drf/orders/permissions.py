from rest_framework.permissions import BasePermission


class IsWarehouseStaff(BasePermission):
    def has_permission(self, request, view):
        return request.user.groups.filter(name="warehouse").exists()
