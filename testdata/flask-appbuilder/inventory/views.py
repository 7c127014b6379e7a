"""Server-rendered pages."""
from flask import g, redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from shop_auth import redirect_to_login


class AuditedView(BaseView):
    """A project base: its exposed pages are served by every subclass."""

    @expose("/history/")
    @has_access
    def history(self):  # ok: api/unauthenticated-endpoint
        return self.render_template("history.html")


class StockView(AuditedView):
    route_base = "/stock"

    @expose("/")
    @has_access
    def list(self):  # ok: api/unauthenticated-endpoint
        return self.render_template("stock.html")

    @expose("/print/")
    def printable(self):  # expect: api/unauthenticated-endpoint:warning
        return self.render_template("stock_print.html")

    @expose("/recount/", methods=["POST"])
    def recount(self):  # expect: api/unauthenticated-endpoint:error
        return redirect(url_for("StockView.list"))

    @expose("/mine/")
    def mine(self):  # ok: api/unauthenticated-endpoint
        # Checks the session itself and sends strangers to the login page.
        if not g.user:
            return redirect(url_for("AuthDBView.login"))
        return self.render_template("mine.html")


    @expose("/welcome/")
    def welcome(self):  # ok: api/unauthenticated-endpoint
        if not g.user:
            return redirect_to_login()
        return self.render_template("welcome.html")


class ShelfView(BaseView):
    @expose("/<int:shelf_id>")
    @has_access
    def show(self, shelf_id):  # ok: api/unauthenticated-endpoint
        return self.render_template("shelf.html", shelf_id=shelf_id)


class DraftView(BaseView):
    """Imported but never registered: FAB serves none of it."""

    @expose("/drafts/", methods=["POST"])
    def save(self):  # ok: api/unauthenticated-endpoint
        return ""
