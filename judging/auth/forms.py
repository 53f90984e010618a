"""Forms for signing in and setting a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from judging.i18n import pick
from judging.passwords import password_problem

EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Alamat email tidak valid."))


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), EMAIL])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired()])


class PasswordPolicy:
    """WTForms check of the one password policy; says why in the user's language."""

    def __call__(self, form, field) -> None:
        user = getattr(form, "account", None)
        name = form.name.data if "name" in form else getattr(user, "name", "")
        problem = password_problem(field.data or "", email=getattr(user, "email", ""),
                                   name=name or "")
        if problem:
            raise ValidationError(pick(*problem))


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    """The new password and its confirmation, checked against the policy."""
    return (
        PasswordField(_l("Kata sandi baru"), validators=[DataRequired(), PasswordPolicy()]),
        PasswordField(
            _l("Ulangi kata sandi"),
            validators=[DataRequired(), EqualTo("password", message=_l("Kata sandi tidak sama."))],
        ),
    )


class SetPasswordForm(FlaskForm):
    """Set a password from an invitation link."""

    name = StringField(_l("Nama lengkap"), validators=[DataRequired(), Length(max=200)])
    password, confirm = new_password_fields()

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account


class ChangePasswordForm(FlaskForm):
    """A signed-in person replaces their password, proving the current one."""

    current = PasswordField(_l("Kata sandi saat ini"), validators=[DataRequired()])
    password, confirm = new_password_fields()

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
