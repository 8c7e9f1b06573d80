"""Email notifications: SMTP delivery, templates, per-category unsubscribe links.

See docs/notifications.md. `service` decides and sends, `smtp` is the one
module that talks to the SMTP provider, `render` turns a notification into
the HTML and plain-text parts, `unsubscribe` signs and checks the links.
"""
