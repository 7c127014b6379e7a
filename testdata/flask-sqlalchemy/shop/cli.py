"""Operator commands (`flask shop ...`): run by hand, once, not per request."""
import click
from flask.cli import AppGroup

from .extensions import db
from .models import Order, OrderLine, User

shop_cli = AppGroup("shop")


@shop_cli.command("recount")
def recount():
    # One query per order: a real N+1, but nobody waits on a page for it.
    for order in Order.query.all():
        n = db.session.query(OrderLine).filter(OrderLine.order_id == order.id).count()  # expect: db/n-plus-one:note
        click.echo(f"{order.id}: {n}")


@shop_cli.command("city")
@click.argument("city")
def users_in_city(city):
    # Reads all users for want of an index on city; an operator's one-off.
    for u in User.query.filter_by(city=city).limit(100).all():  # expect: db/missing-index:note
        click.echo(u.email)
