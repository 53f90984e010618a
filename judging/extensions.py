"""Every Flask extension, created unbound; ``create_app`` binds them.

Flask-Migrate is the exception: it loads Alembic (a second of imports), so
``judging.database.bind_migrate`` creates it only when migrations are needed.
"""

from __future__ import annotations

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from judging.csrf_once import CheckedOnceCSRF
from judging.request_connection import one_connection

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraints get stable names in migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
one_connection(db)  # the request's reads and its session on one held connection
login_manager = LoginManager()
csrf = CheckedOnceCSRF()  # Flask-WTF's, each token's signature verified once
babel = Babel()
compress = Compress()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
