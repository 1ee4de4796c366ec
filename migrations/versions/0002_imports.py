"""Imports: the record of each spreadsheet import and the background jobs that run them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 06:10:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
