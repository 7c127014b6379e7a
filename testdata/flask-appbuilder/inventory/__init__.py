from flask import Flask
from flask_appbuilder import AppBuilder

from .api import StockApi, StatusApi
from .views import DraftView, ShelfView, StockView

app = Flask(__name__)
appbuilder = AppBuilder(app)

appbuilder.add_view(StockView, "Stock")
appbuilder.add_view_no_menu(ShelfView())
appbuilder.add_api(StockApi)
appbuilder.add_api(StatusApi)
