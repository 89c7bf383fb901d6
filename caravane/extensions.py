"""The Flask extensions, created unbound so that every module can import them."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from caravane.addresses import memory_only_address


class Base(DeclarativeBase):
    # CHECK constraints get stable names, so that migrations can refer to them.
    metadata = MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"})


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
socketio = SocketIO()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
compress = Compress()
limiter = Limiter(key_func=memory_only_address)
