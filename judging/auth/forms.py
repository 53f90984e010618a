"""Forms for signing in and setting a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Alamat email tidak valid."))


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), EMAIL])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired()])


class SetPasswordForm(FlaskForm):
    """Set a password from an invitation link."""

    name = StringField(_l("Nama lengkap"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(
        _l("Kata sandi baru"),
        validators=[
            DataRequired(),
            Length(min=10, message=_l("Kata sandi minimal 10 karakter.")),
        ],
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi"),
        validators=[DataRequired(), EqualTo("password", message=_l("Kata sandi tidak sama."))],
    )
