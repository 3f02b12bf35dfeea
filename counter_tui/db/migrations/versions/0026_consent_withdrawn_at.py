"""consent: when a yes was taken back (a withdrawal, not a no given when first asked)

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-30

A customer who withdrew their consent read "May contact by nothing agreed yet", as if
nobody had asked them. `withdrawn_at` says when a yes on that channel was taken back
(NULL: it is a yes, or a no never preceded by one). Existing rows take it from the audit
log: a no whose customer had a yes recorded on that channel before is a withdrawal,
dated when the no was recorded.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

CONSENT_RECORDED = "customer.consent_recorded"
"""The audit action of a consent written (`services/customers.write_consent` at this revision)."""


def upgrade() -> None:
    with op.batch_alter_table("contactconsent", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    events = sa.table(
        "auditevent",
        sa.column("action", sa.String()),
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.Integer()),
        sa.column("details", sa.String()),
    )
    agreed_before = set()
    for customer_id, details in connection.execute(
        sa.select(events.c.entity_id, events.c.details).where(
            events.c.action == CONSENT_RECORDED, events.c.entity == "customer"
        )
    ):
        try:
            said = json.loads(details)
        except ValueError:
            continue  # details an erasure rewrote
        if isinstance(said, dict) and said.get("granted") is True:
            agreed_before.add((customer_id, said.get("channel")))
    consent = sa.table(
        "contactconsent",
        sa.column("id", sa.Integer()),
        sa.column("customer_id", sa.Integer()),
        sa.column("channel", sa.String()),
        sa.column("granted", sa.Boolean()),
        sa.column("recorded_at", sa.DateTime(timezone=True)),
        sa.column("withdrawn_at", sa.DateTime(timezone=True)),
    )
    for row_id, customer_id, channel in connection.execute(
        sa.select(consent.c.id, consent.c.customer_id, consent.c.channel).where(
            consent.c.granted == sa.false()
        )
    ):
        if (customer_id, channel) in agreed_before:
            connection.execute(
                consent.update().where(consent.c.id == row_id).values(withdrawn_at=consent.c.recorded_at)
            )


def downgrade() -> None:
    with op.batch_alter_table("contactconsent", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_at")
