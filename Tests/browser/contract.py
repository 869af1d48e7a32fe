"""The page contract the browser suite relies on, in one place.

When the server's markup or paths change, adjust them here rather than in the tests.
"""

# Paths
ROOT = "/"
SETUP = "/setup"
SIGN_IN = "/sign-in"
SIGN_OUT = "/sign-out"
DASHBOARD = "/dashboard"
ADMIN_MEMBERS = "/admin/members"
INVITATION_PREFIX = "/invitations/"

# Form field names (the `name` attribute of the inputs)
SETUP_FIELDS = ("organisation_name", "name", "email", "password")
SIGN_IN_FIELDS = ("email", "password")
ACCEPT_FIELDS = ("name", "password")

# Submit button texts
SETUP_SUBMIT = "Create organisation"
SIGN_IN_SUBMIT = "Sign in"
INVITE_SUBMIT = "Send invitation"
ACCEPT_SUBMIT = "Accept invitation"
SIGN_OUT_SUBMIT = "Sign out"

# Element ids and selectors
FORM_ERROR_ID = "form-error"  # carries role="alert"
INVITE_EMAIL_ID = "invite-email"
INVITE_ROLE_ID = "invite-role"
INVITE_ROLES = ("participant", "programme_manager", "admin")
SIGN_OUT_FORM_CSS = "form[action$='/sign-out']"
CSRF_FIELD = "csrf_token"

# Texts
DASHBOARD_HEADING = "Welcome"
# The wrong-password message must mention the email or the password…
WRONG_CREDENTIALS_SUBJECT = ("email", "password")
# …and say that something about them is wrong.
WRONG_CREDENTIALS_VERDICT = ("wrong", "incorrect", "invalid", "not match", "doesn't match", "does not match", "not recognised", "not recognized")
# A used or expired invitation says so.
USED_INVITATION_WORDS = ("used", "expired", "no longer")
USED_INVITATION_STATUSES = (404, 410)
